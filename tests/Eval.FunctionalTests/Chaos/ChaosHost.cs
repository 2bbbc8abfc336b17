using System.Diagnostics;
using Eval.FunctionalTests.Infrastructure;

namespace Eval.FunctionalTests.Chaos;

/// <summary>
/// The local host of one run: started once, then SIGKILLed and started again on the same ports, data and worker id
/// as often as the run asks. Disposing it stops the process that runs, however the run ended, and waits for a
/// restart under way to finish first, so no host outlives the test.
/// </summary>
public sealed class ChaosHost : IAsyncDisposable
{
    const string Worker = "chaos-worker";

    readonly string storage, hub;
    readonly int httpPort, sidecarPort;
    readonly IDictionary<string, string> settings;
    readonly SemaphoreSlim turn = new(1, 1);
    readonly Stopwatch upFor = Stopwatch.StartNew();
    readonly List<string> deadOutputs = [];
    LocalHostProcess? current; // null between a kill and the restart's becoming healthy
    bool disposed;

    ChaosHost(string storage, string hub, IDictionary<string, string> settings, LocalHostProcess first)
    {
        (this.storage, this.hub, this.settings, current) = (storage, hub, settings, first);
        BaseAddress = first.BaseAddress;
        (httpPort, sidecarPort) = (first.HttpPort, first.SidecarPort);
    }

    public static async Task<ChaosHost> StartAsync(string storage, string hub, IDictionary<string, string> settings) =>
        new(storage, hub, settings, await LocalHostProcess.StartAsync(storage, hub, Worker, settings));

    public Uri BaseAddress { get; }
    public int Kills { get; private set; }

    /// <summary>How long the process now running has been up.</summary>
    public TimeSpan Uptime => upFor.Elapsed;

    /// <summary>The output of every process so far, the killed ones first.</summary>
    public IEnumerable<string> Outputs => current is null ? deadOutputs : [.. deadOutputs, current.Output];

    public string LastOutput => current?.Output ?? deadOutputs.LastOrDefault() ?? "";

    /// <summary>SIGKILLs the host and starts a new one where its clients expect it; returns once the new one is healthy.</summary>
    public async Task KillAndRestartAsync(CancellationToken abort)
    {
        await turn.WaitAsync(abort);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            LocalHostProcess dead = current ?? throw new InvalidOperationException("The last restart failed; there is no host to kill.");
            dead.Kill();
            Kills++;
            current = null;
            deadOutputs.Add(dead.Output);
            await dead.DisposeAsync();
            // A start that fails stops its own process (LocalHostProcess), so only a healthy one needs keeping.
            current = await LocalHostProcess.StartAsync(storage, hub, Worker, settings, httpPort, sidecarPort);
            upFor.Restart();
        }
        finally { turn.Release(); }
    }

    public async ValueTask DisposeAsync()
    {
        await turn.WaitAsync();
        try
        {
            if (disposed) return;
            disposed = true;
            if (current is not null) await current.DisposeAsync();
        }
        finally { turn.Release(); }
    }
}
