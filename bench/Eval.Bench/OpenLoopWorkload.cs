using System.Diagnostics;
using Azure.Data.Tables;
using Eval.Workflows.Domain;

namespace Eval.Bench;

/// <summary>
/// Workload D around <see cref="OpenLoop"/>: a host of its own, the published list its pollers read, the campaign it
/// feeds (started and taking actions before the clock), then the open loop, the check that every accepted submission
/// reached its workflow, and the record for the report.
/// </summary>
public static class OpenLoopWorkload
{
    public const string Hub = "benchopen";
    const string SmallCampaignId = "bench-open-published";

    public static async Task<WorkloadDRecord> RunAsync(BenchOptions options, CountingProxy proxy, TableServiceClient azurite,
        WorkloadBRecord? b, DateTime? productQueuesClearedAt, string hostLog, Action<string> log, string[] azuriteCpuNames)
    {
        proxy.Phase = "D-setup";
        // A host of its own, on its own task hub: D's latency is not charged for B's host or leftovers.
        await using HostProcess host = await HostProcess.StartAsync(options.HostDll, proxy.ConnectionString, Hub, hostLog);
        log($"D: local host pid {host.ProcessId} on {host.BaseAddress} (log {hostLog})");
        List<Unit> units = ProductCampaign.Units(options.Branches);
        PublishedList published = await PublishedListAsync(options, host, azurite, b, units, log);

        var campaign = new ProductCampaign(host.BaseAddress, options.Clients, null, log, OpenLoop.CampaignId, ProductCampaign.City, "D");
        List<string> branches = await campaign.PrepareAsync(units, options.Publicity);
        await campaign.StartAsync();
        log($"D: campaign {OpenLoop.CampaignId} started, {branches.Count} evaluations taking actions");
        if (productQueuesClearedAt is { } cleared)
        {
            var sweep = await AzuriteSweep.WaitPastAsync(options.AzuriteConnectionString, cleared);
            log($"D: waited {sweep.Waited.TotalSeconds:F0} s for Azurite's sweep of B's cleared messages " +
                $"(the last wait for an answer: {sweep.LastAnswer.TotalSeconds:F1} s)");
        }

        Cpu cpu = Cpu.Start([host.ProcessId, Environment.ProcessId, .. options.AzuritePids]);
        using var loop = new OpenLoop(host.BaseAddress, log);
        await using StallProbe probe = await StallProbe.StartAsync(host.BaseAddress, options.AzuriteConnectionString);
        OpenLoopResult d = await loop.RunAsync(branches, options.Rate, options.Pollers, published.CampaignId,
            phase => proxy.Phase = "D " + phase);
        Dictionary<string, ProbeResult> probes = await probe.StopAsync();
        foreach ((string target, ProbeResult p) in probes)
            log($"D: probe of {target}: p50 {p.Latency.P50:F0} ms, p99 {p.Latency.P99:F0} ms, max {p.Latency.Max:F0} ms, " +
                $"{p.Stalls.Count} over {StallProbe.StallMs:F0} ms" +
                (p.Stalls.Count == 0 ? "" : $" (at {string.Join(", ", p.Stalls.Take(12).Select(s => $"{s[0]:F1} s: {s[1]:F0} ms"))})"));
        Dictionary<string, double> cpuSeconds = cpu.Stop(["host", "bench process (proxy, clients)", .. azuriteCpuNames]);
        PhaseCount count = proxy.Count("D open loop");
        // A 202 means the action is queued for its workflow: every accepted one should reach the next stage.
        var takeIn = Stopwatch.StartNew();
        await campaign.WaitStageAsync("awaiting-township-review", d.Accepted);
        double takenIn = Math.Max(0, d.WallSeconds - d.ScheduleSeconds) + takeIn.Elapsed.TotalSeconds;

        OpenLoopEndpoint sa = d.Endpoints[Endpoints.SelfAssessment];
        log($"D: {d.Accepted} of {d.Submissions} accepted, sent at {d.SentPerSecond:F2}/s; self-assessment p50 {sa.P50:F0} ms, " +
            $"p99 {sa.P99:F0} ms, max {sa.Max:F0} ms, {sa.Errors} errors; all taken in {takenIn:F1} s after the schedule ended");
        foreach ((string endpoint, OpenLoopEndpoint l) in d.Endpoints.Where(e => e.Key != Endpoints.SelfAssessment))
            log($"D: {endpoint}: {l.Requests} requests, p50 {l.P50:F0} ms, p99 {l.P99:F0} ms, {l.Errors} errors, " +
                $"{l.ExpectedConflicts} 409 as expected");

        double? peakMiB = host.ReadStatusKib("VmHWM") is { } hwm ? Math.Round(hwm / 1024.0, 1) : null;
        return new WorkloadDRecord(d.Submissions, options.Rate, options.Pollers, OpenLoop.PollInterval.TotalSeconds, OpenLoop.CampaignId,
            published, Math.Round(d.ScheduleSeconds, 2), Math.Round(d.WallSeconds, 2), d.Accepted, Round(d.SentPerSecond),
            Round(d.AcceptedPerSecond), d.Endpoints, d.SubmissionWindows, d.SendLagMs, d.MaxInFlight, d.Connections, Math.Round(takenIn, 1),
            count, Math.Round(count.Total / (double)d.Submissions, 1), cpuSeconds, peakMiB, hostLog, probes,
            "open loop: every request sent at its scheduled time whatever the others are doing, latency from that time to the end of " +
            "its answer; no retries");
    }

    /// <summary>
    /// The pollers read a published list too, so the ratings read path is measured on a real one: B's whole campaign when
    /// B published it in this run (its tables are on this Azurite), else one county's campaign run to publication here.
    /// </summary>
    static async Task<PublishedList> PublishedListAsync(BenchOptions options, HostProcess host, TableServiceClient azurite,
        WorkloadBRecord? b, List<Unit> units, Action<string> log)
    {
        if (b is { Stopped: null })
            return new PublishedList(ProductCampaign.CampaignId, b.Ratings.Rows, "workload B's campaign, published earlier in this run");
        string county = units.First(u => u.Kind == UnitKinds.County).Id;
        var small = new ProductCampaign(host.BaseAddress, options.Clients, null, log, SmallCampaignId, county, "D");
        List<string> branches = await small.PrepareAsync(units, options.Publicity);
        ProductResult run = await small.RunAsync(branches, azurite, _ => { });
        if (run.Ratings.Mismatches.Count > 0)
            throw new InvalidOperationException($"D: {SmallCampaignId}'s ratings are not as the formula says: {run.Ratings.Mismatches[0]}");
        return new PublishedList(SmallCampaignId, run.Ratings.Rows,
            $"a campaign over {county} run to publication before D, as no workload B published in this run");
    }

    static double? Round(double? x) => x is { } v ? Math.Round(v, 2) : null;
}
