using System.Diagnostics;
using Azure.Storage.Queues;

namespace Eval.Bench;

/// <summary>
/// In-memory Azurite frees the bodies of deleted messages in a sweep that runs 60 s after the previous one ended, and
/// a sweep after thousands of deletions blocks every request to the queue service for seconds (docs/benchmarks.md).
/// Workload A deletes thousands, and clears its queues last; without a wait, the sweep of A's garbage fell into B's
/// start (a 16 s stall at 600 branches). A starts on an Azurite with nothing to sweep, so B starts after that sweep
/// too, and D after the sweep of what B left (its finished campaign's timer messages, cleared when B is done).
/// </summary>
public static class AzuriteSweep
{
    /// <summary>Empties the queues of a task hub whose workload is over; returns how many there were.</summary>
    public static async Task<int> ClearQueuesAsync(string storage, string hub)
    {
        var queues = new QueueServiceClient(storage);
        int cleared = 0;
        await foreach (Azure.Storage.Queues.Models.QueueItem q in queues.GetQueuesAsync(prefix: hub))
        {
            await queues.GetQueueClient(q.Name).ClearMessagesAsync();
            cleared++;
        }
        return cleared;
    }

    /// <summary>The 60 s between sweeps, and the longest sweep seen (16 s), with a margin.</summary>
    static readonly TimeSpan SweepStartsWithin = TimeSpan.FromSeconds(80);

    /// <summary>
    /// Waits until a sweep has started since <paramref name="since"/> (the 60 s pause begins only when a sweep ends, so
    /// one starts within <see cref="SweepStartsWithin"/>), then for it to end: a request made during a sweep is
    /// answered only after it.
    /// </summary>
    public static async Task<(TimeSpan Waited, TimeSpan LastAnswer)> WaitPastAsync(string connectionString, DateTime since)
    {
        var waited = Stopwatch.StartNew();
        TimeSpan rest = since + SweepStartsWithin - DateTime.UtcNow;
        if (rest > TimeSpan.Zero) await Task.Delay(rest);
        var answer = Stopwatch.StartNew();
        await new QueueServiceClient(connectionString).GetPropertiesAsync();
        return (waited.Elapsed, answer.Elapsed);
    }
}
