using Eval.Api.Auth;
using Eval.Workflows.Keys;
using Eval.Workflows.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Eval.Api;

/// <summary>
/// The key that binds kept events to their claims (<see cref="OutboxBinding"/>), read as the host starts: in Azure setting
/// Outbox:BindingKey must be set (an app that made a key of its own per instance would not recognise its own entries);
/// elsewhere, without it, the local key file is used. A missing or malformed key stops the host before it serves
/// anything, as <see cref="TokenModeGuard"/> does for development tokens.
/// </summary>
public sealed class OutboxBindingStartupCheck(IServiceProvider services) : IHostedLifecycleService
{
    public static OutboxBinding Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<OutboxOptions>();
        bool inAzure = services.GetRequiredService<TokenModeGuard>().RunsInAzure;
        return OutboxBinding.FromSettings(options.BindingKey, inAzure ? null : services.GetRequiredService<LocalKeyDirectory>());
    }

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<OutboxBinding>();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
