using Eval.Api.Auth;
using Eval.Workflows.Keys;
using Eval.Workflows.Outbox;
using Microsoft.Extensions.DependencyInjection;

namespace Eval.Api;

/// <summary>
/// The key that binds kept events to their claims (<see cref="OutboxBinding"/>), read as the host starts: in Azure setting
/// Outbox:BindingKey must be set (an app that made a key of its own per instance would not recognise its own entries);
/// elsewhere, without it, the local key file is used. A missing or malformed key stops the host before it serves
/// anything, as <see cref="TokenModeGuard"/> does for development tokens.
/// </summary>
public sealed class OutboxBindingStartupCheck(IServiceProvider services) : StartupCheck
{
    public static OutboxBinding Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<OutboxOptions>();
        bool inAzure = services.GetRequiredService<TokenModeGuard>().RunsInAzure;
        return OutboxBinding.FromSettings(options.BindingKey, inAzure ? null : services.GetRequiredService<LocalKeyDirectory>());
    }

    protected override void Check() => services.GetRequiredService<OutboxBinding>();
}
