using Microsoft.Extensions.Hosting;

namespace Eval.Api;

/// <summary>
/// A check of the host's settings, run in StartingAsync: the host runs it before any hosted service's StartAsync (the
/// Functions worker's connection to its host and Kestrel are both hosted services), so a refused setting stops the
/// process before it serves a request.
/// </summary>
public abstract class StartupCheck : IHostedLifecycleService
{
    /// <summary>Throws, with a message saying what to set, when the host must not start.</summary>
    protected abstract void Check();

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        Check();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
