namespace Eval.Bench;

/// <summary>
/// When workload D sends what, fixed before the first request goes out: an open loop sends each request at its time
/// whatever the earlier ones are doing, so a slow answer cannot hold back (and hide) the requests behind it.
/// </summary>
public static class OpenLoopSchedule
{
    /// <summary>
    /// <paramref name="count"/> sends at <paramref name="perSecond"/>: the i-th at i / rate from the start, each computed
    /// from its index (not by adding up intervals, which would drift over thousands of sends).
    /// </summary>
    public static TimeSpan[] Arrivals(int count, double perSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        return [.. Enumerable.Range(0, count).Select(i => TimeSpan.FromSeconds(i / perSecond))];
    }

    /// <summary>How long <paramref name="count"/> sends at <paramref name="perSecond"/> last: up to the last, and its interval.</summary>
    public static TimeSpan Length(int count, double perSecond) => TimeSpan.FromSeconds(count / perSecond);

    /// <summary>
    /// The polls of poller <paramref name="poller"/> (0-based) of <paramref name="pollers"/>: one every
    /// <paramref name="interval"/> within <paramref name="length"/>, the pollers staggered evenly over the interval so
    /// that they do not all arrive in the same instant.
    /// </summary>
    public static TimeSpan[] Polls(int poller, int pollers, TimeSpan interval, TimeSpan length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pollers);
        if (poller < 0 || poller >= pollers) throw new ArgumentOutOfRangeException(nameof(poller));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        var polls = new List<TimeSpan>();
        for (int k = 0; ; k++)
        {
            TimeSpan at = interval * poller / pollers + interval * k;
            if (at >= length) return [.. polls];
            polls.Add(at);
        }
    }

    /// <summary>
    /// A rate achieved over a stretch: <paramref name="count"/> events from <paramref name="first"/> to
    /// <paramref name="last"/> make count − 1 intervals (a single event has no rate: null).
    /// </summary>
    public static double? Rate(int count, TimeSpan first, TimeSpan last) =>
        count > 1 && last > first ? (count - 1) / (last - first).TotalSeconds : null;

    /// <summary>
    /// Latency over the run, window by window of scheduled time (each request in the window its scheduled time falls in),
    /// to tell a slow start or a stall from a steady state.
    /// </summary>
    public static List<OpenLoopWindow> Windows(IEnumerable<(TimeSpan Scheduled, double Ms)> requests, TimeSpan window) =>
        [.. requests.GroupBy(r => (int)(r.Scheduled / window)).OrderBy(g => g.Key).Select(g =>
        {
            double[] sorted = [.. g.Select(r => r.Ms).Order()];
            double R(double x) => Math.Round(x, 1);
            return new OpenLoopWindow(R((window * g.Key).TotalSeconds), sorted.Length, R(Percentile.NearestRank(sorted, 0.50)),
                R(Percentile.NearestRank(sorted, 0.99)), R(sorted[^1]));
        })];
}

/// <summary>The requests scheduled in one window of a run (from <see cref="FromSeconds"/>): how many, and their latency in ms.</summary>
public sealed record OpenLoopWindow(double FromSeconds, int Requests, double P50, double P99, double Max);
