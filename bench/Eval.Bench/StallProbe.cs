using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace Eval.Bench;

/// <summary>How long one target took to answer a probe during the open loop, and when it stalled.</summary>
public sealed record ProbeResult(Latency Latency, List<double[]> Stalls);

/// <summary>
/// Beside the open loop, asks three targets a trivial question every <see cref="Interval"/>: the host (an anonymous
/// schema, no storage call), and Azurite's table and queue services directly (not through the proxy). When the
/// submissions stall, the target that stalled with them is the one to look at.
/// </summary>
public sealed class StallProbe : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>A probe slower than this is listed as a stall, with its time from the probe's start.</summary>
    public const double StallMs = 200;

    readonly CancellationTokenSource stop = new();
    readonly Dictionary<string, ConcurrentQueue<(double At, double Ms)>> answers = new()
    {
        ["host"] = new(), ["azurite table"] = new(), ["azurite queue"] = new(),
    };
    readonly Task running;

    StallProbe(Uri host, string azurite)
    {
        var http = new HttpClient { BaseAddress = host };
        TableClient table = new TableServiceClient(azurite).GetTableClient("benchprobe");
        QueueClient queue = new QueueServiceClient(azurite).GetQueueClient("benchprobe");
        running = RunAsync(http, table, queue);
    }

    public static async Task<StallProbe> StartAsync(Uri host, string azurite)
    {
        await new TableServiceClient(azurite).GetTableClient("benchprobe").CreateIfNotExistsAsync();
        await new QueueServiceClient(azurite).GetQueueClient("benchprobe").CreateIfNotExistsAsync();
        return new StallProbe(host, azurite);
    }

    async Task RunAsync(HttpClient http, TableClient table, QueueClient queue)
    {
        long origin = Stopwatch.GetTimestamp();
        var pending = new List<Task>();
        for (int tick = 0; !stop.IsCancellationRequested; tick++)
        {
            pending.Add(TimeAsync("host", origin, () => http.GetAsync("api/schemas/units")));
            pending.Add(TimeAsync("azurite table", origin, () => table.GetEntityIfExistsAsync<TableEntity>("probe", "probe")));
            pending.Add(TimeAsync("azurite queue", origin, () => queue.GetPropertiesAsync()));
            TimeSpan next = Interval * (tick + 1) - Stopwatch.GetElapsedTime(origin);
            if (next > TimeSpan.Zero)
                try { await Task.Delay(next, stop.Token); } catch (OperationCanceledException) { }
        }
        await Task.WhenAll(pending);
    }

    async Task TimeAsync<T>(string target, long origin, Func<Task<T>> probe)
    {
        TimeSpan at = Stopwatch.GetElapsedTime(origin);
        long start = Stopwatch.GetTimestamp();
        try { await probe(); } catch (Exception) { /* an error is an answer too; its time is what counts here */ }
        answers[target].Enqueue((Math.Round(at.TotalSeconds, 1), Stopwatch.GetElapsedTime(start).TotalMilliseconds));
    }

    /// <summary>Stops probing and gives each target's answer times, and its stalls as [seconds from start, ms].</summary>
    public async Task<Dictionary<string, ProbeResult>> StopAsync()
    {
        await stop.CancelAsync();
        await running;
        return answers.Where(a => !a.Value.IsEmpty).ToDictionary(a => a.Key, a => new ProbeResult(
            Latency.Of([.. a.Value.Select(x => x.Ms)]),
            [.. a.Value.Where(x => x.Ms > StallMs).OrderBy(x => x.At).Select(x => new[] { x.At, Math.Round(x.Ms) })]));
    }

    public async ValueTask DisposeAsync()
    {
        if (!stop.IsCancellationRequested) await StopAsync();
        stop.Dispose();
    }
}
