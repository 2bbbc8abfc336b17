// The benchmark harness behind `./eval bench`: A (the bare Durable Task engine), B (the product over HTTP), C (the
// publication write path), D (the open loop: submissions at a fixed rate under polling), E (evidence files uploaded
// straight to storage) and F (after publication, on B's campaign) in one process run, on one Azurite that
// `./eval bench` started, seen through a counting proxy.
using System.Diagnostics;
using Azure.Data.Tables;
using Eval.Bench;

// Figures are written the same way on every machine (decimal points, no grouping surprises).
System.Globalization.CultureInfo.DefaultThreadCurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"bench: {e.Message}");
    return 2;
}

// Interrupted (Ctrl+C, SIGTERM): take the host child down too, then end as the signal would.
using var onInterrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGINT, _ => HostProcess.KillAll());
using var onTerminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM, _ => HostProcess.KillAll());
var clock = Stopwatch.StartNew();
void Log(string line) => Console.WriteLine($"[bench {clock.Elapsed:mm\\:ss}] {line}");
Directory.CreateDirectory(options.ReportDir);
string stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss");

var report = new BenchReport
{
    Command = options.Command,
    StartedAt = DateTimeOffset.UtcNow,
    Machine = Machine.Describe(options.Root),
    Options = new
    {
        options.Branches, options.Clients, workloads = string.Join(",", options.Workloads.Order()), options.Publicity, options.Rate,
        options.Pollers,
    },
    Proxy = "a counting reverse proxy in the bench process (Kestrel, HTTP/1.1, one port per service); " +
        "the host and workload A both reach Azurite through it, workload C does not",
};
Log($"{options.Branches} branches, {options.Clients} clients, workloads {string.Join(",", options.Workloads.Order())}" +
    (options.Runs('d') ? $" (D: {options.Rate:0.##}/s, {options.Pollers} pollers)" : "") + "; " +
    $"{report.Machine.Cpu}, {report.Machine.Cores} cores, load {report.Machine.LoadAtStart}");

await using CountingProxy proxy = await CountingProxy.StartAsync(options.BlobPort, options.QueuePort, options.TablePort);
Log($"proxy on {proxy.BlobPort}/{proxy.QueuePort}/{proxy.TablePort} → " +
    $"Azurite {options.BlobPort}/{options.QueuePort}/{options.TablePort}");
var azurite = new TableServiceClient(options.AzuriteConnectionString);

DateTime? bareQueuesClearedAt = null, productQueuesClearedAt = null;
try
{
    if (options.Runs('a'))
    {
        // The engine's own warnings go to a file, as the host's do.
        string bareLog = Path.Combine(options.ReportDir, $"bare-{stamp}.log");
        using var bareLogs = new FileLoggerFactory(bareLog);
        Cpu cpu = Cpu.Start([Environment.ProcessId, .. options.AzuritePids]);
        BareResult a = await BareEngine.RunAsync(proxy.ConnectionString, options.Branches, options.Clients, options.BareTimers,
            bareLogs.Factory, Log, phase => proxy.Phase = "A " + phase);
        Dictionary<string, double> cpuSeconds = cpu.Stop(["bench process (engine, proxy, driver)", .. AzuriteCpuNames()]);
        PhaseCount count = proxy.Count(p => p.StartsWith("A ", StringComparison.Ordinal) && p != "A after");
        report.WorkloadA = new WorkloadARecord(a.Instances, Math.Round(a.WallSeconds, 2), Math.Round(a.EvaluationsPerSecond, 3), a.Phases,
            count, Math.Round(count.Total / (double)a.Instances, 1), PerPhase(proxy, "A ", a.Phases, a.Instances), cpuSeconds,
            PerEvaluation(cpuSeconds, a.Instances), bareLog, options.BareTimers);
        Log($"A: {a.Instances} bare evaluations in {a.WallSeconds:F1} s = {a.EvaluationsPerSecond:F2}/s, " +
            $"{count.Total / (double)a.Instances:F1} Azurite requests each; " +
            $"CPU s: {string.Join(", ", cpuSeconds.Select(c => $"{c.Key} {c.Value:F1}"))}");
        var cleanup = Stopwatch.StartNew();
        int queues = await BareEngine.ClearQueuesAsync(options.AzuriteConnectionString);
        bareQueuesClearedAt = DateTime.UtcNow;
        Log($"A: the task hub's {queues} queues emptied ({cleanup.Elapsed.TotalSeconds:F1} s), " +
            "so its leftover timer messages do not burden B");
    }

    if (options.Runs('b'))
    {
        // Before the host starts, so that only the machine's other work shares the cores with it.
        report.Ranking = RankingTiming.Measure(Log);
        proxy.Phase = "B-setup";
        const string hub = "benchproduct";
        string hostLog = Path.Combine(options.ReportDir, $"host-{stamp}.log");
        await using HostProcess host = await HostProcess.StartAsync(options.HostDll, proxy.ConnectionString, hub, hostLog);
        Log($"B: local host pid {host.ProcessId} on {host.BaseAddress} (log {hostLog})");
        // What the host costs Azurite doing nothing (its queue polling), for reading the per-evaluation counts.
        proxy.Phase = "B-idle";
        await Task.Delay(TimeSpan.FromSeconds(5));
        double idlePerSecond = proxy.Count("B-idle").Total / 5.0;
        proxy.Phase = "B-setup";

        AfterPublication? after = options.Runs('f')
            ? new AfterPublication(host.BaseAddress, options.Clients, Log, phase => proxy.Phase = "F " + phase)
            : null;
        var campaign = new ProductCampaign(host.BaseAddress, options.Clients, options.TimeLimit, Log, membersAppraisal: true)
        {
            BallotCpu = ([host.ProcessId, Environment.ProcessId, .. options.AzuritePids],
                ["host", "bench process (proxy, driver)", .. AzuriteCpuNames()]),
            OnPublished = after is null ? null : () => after.WatchSigning(ProductCampaign.CampaignId),
            SettleBeforeReads = !options.Runs('g') ? null : () => SettleAsync(proxy, "B self-assessment", idlePerSecond),
            WhileWaiting = !options.Runs('g') ? null : async campaignId =>
            {
                string phase = "B " + ProductCampaign.WaitingReadsPhase;
                InboxReadsRecord inbox =
                    await new InboxReads(host.BaseAddress, WorkloadGRecord.Clients, Log).RunAsync(campaignId, options.Branches);
                StatisticsAndExportsRecord reports =
                    await new StatisticsAndExports(host.BaseAddress, Log, WorkloadGRecord.Clients).RunAsync(campaignId, options.Branches);
                report.WorkloadG = new WorkloadGRecord(options.Branches, inbox, reports, proxy.Count(phase));
            },
        };
        List<string> branches = await campaign.PrepareAsync(options.Branches, options.Publicity);
        if (bareQueuesClearedAt is { } cleared)
        {
            var sweep = await AzuriteSweep.WaitPastAsync(options.AzuriteConnectionString, cleared);
            Log($"B: waited {sweep.Waited.TotalSeconds:F0} s for Azurite's sweep of A's deleted messages " +
                $"(the last wait for an answer: {sweep.LastAnswer.TotalSeconds:F1} s)");
        }
        Cpu cpu = Cpu.Start([host.ProcessId, Environment.ProcessId, .. options.AzuritePids]);
        ProductResult b = await campaign.RunAsync(branches, azurite, phase => proxy.Phase = "B " + phase);
        if (b.ProposalSeconds is { } proposal)
        {
            report.Ranking.ProposalSeconds = Math.Round(proposal, 2);
            report.Ranking.ProposalBranches = b.Branches;
            report.Ranking.ProposalHistory = await ProposalHistory.ReadAsync(azurite, hub, ProductCampaign.CampaignId);
        }
        Dictionary<string, double> cpuSeconds = cpu.Stop(["host", "bench process (proxy, driver)", .. AzuriteCpuNames()]);
        PhaseCount count = proxy.Count(p => p.StartsWith("B ", StringComparison.Ordinal) && p != "B after"
            && p != "B " + ProductCampaign.WaitingReadsPhase);

        // Every orchestration should finish: the evaluations right after their last record, the campaign after publishing,
        // its outbox sweep at its first pass after that (a campaign stopped by the time limit is counted as it stands).
        Dictionary<string, int> statuses = await OrchestrationStatusesAsync(azurite, hub, b.Stopped is null ? branches.Count + 2 : 0);
        double? peak = host.ReadStatusKib("VmHWM") is { } hwm ? Math.Round(hwm / 1024.0, 1) : null;
        var timeline = host.RssTimeline();
        report.WorkloadB = new WorkloadBRecord(b.Branches, options.Clients, Math.Round(b.WallSeconds, 2),
            Math.Round(b.EvaluationsPerSecond, 3), b.Phases,
            campaign.Latencies.ToDictionary(l => l.Key, l => Latency.Of(l.Value)), b.Requests, b.Retries, b.Ratings, statuses,
            peak, timeline.Count > 0 ? timeline.Max(t => t.Mib) : null,
            HostProcess.Thin(timeline, 300).Select(t => new[] { t.Seconds, t.Mib }).ToList(),
            count, Math.Round(count.Total / (double)b.Branches, 1), PerPhase(proxy, "B ", b.Phases, b.Branches), cpuSeconds,
            PerEvaluation(cpuSeconds, b.Branches), idlePerSecond, proxy.Count("B-setup"), hostLog, b.Stopped) { Appraisal = b.Appraisal };
        Log($"B: {b.Stopped?.Done ?? b.Branches} of {b.Branches} evaluations done in {b.WallSeconds:F1} s " +
            $"= {b.EvaluationsPerSecond:F2}/s, " +
            $"{count.Total / (double)b.Branches:F1} Azurite requests per evaluation, host peak RSS {peak} MiB, " +
            $"{b.Retries} retries, {b.Ratings.Mismatches.Count} rating mismatches");
        foreach (string m in b.Ratings.Mismatches.Take(10)) Log($"B: mismatch {m}");

        // F while B's host is up: what its published campaign gives after publication.
        if (after is not null && b.Stopped is not null) Log("F: not run (B's campaign was stopped before publication)");
        else if (after is not null)
        {
            WorkloadFRecord f = await after.RunAsync(ProductCampaign.CampaignId, b.Branches, azurite);
            report.WorkloadF = f with
            {
                AzuriteRequestsByPhase = AfterPublication.Phases.ToDictionary(p => p, p => proxy.Count("F " + p)),
            };
            Log($"F: done in {f.WallSeconds:F1} s, {f.Errors} requests failed, {f.WrongCount} checks wrong" +
                string.Concat(f.Wrong.Take(5).Select(w => $"\n    {w}")));
        }
    }
    if (options.Runs('b') && options.Runs('d'))
    {
        // B's host is gone; its campaign's timer messages (days ahead) would only be swept again and again under D.
        int queues = await AzuriteSweep.ClearQueuesAsync(options.AzuriteConnectionString, "benchproduct");
        productQueuesClearedAt = DateTime.UtcNow;
        Log($"B: the task hub's {queues} queues emptied, so its leftover timer messages do not burden D");
    }

    if (options.Runs('c'))
    {
        // Always the city's full count: C is the publication's write path alone, which takes seconds even at 3,810.
        PublicationResult c =
            await PublicationWrites.RunAsync(options.AzuriteConnectionString, BenchOptions.FullBranches, options.Clients, Log);
        report.WorkloadC = new WorkloadCRecord(c.Rows, c.BatchedWriteSeconds.Select(x => Math.Round(x, 3)).ToList(),
            c.PublishSeconds.Select(x => Math.Round(x, 3)).ToList(), Math.Round(c.BatchedWriteMedian, 3), Math.Round(c.PublishMedian, 3),
            Math.Round(c.RowByRowSeconds, 3), Math.Round(c.RowParallelSeconds, 3), options.Clients,
            Math.Round(c.Speedup, 2), Math.Round(c.SpeedupOverParallel, 2),
            "straight to Azurite (no proxy, no API); batched = RatingStore's own code (transactions of 100, 8 at a time), " +
            "each run on fresh tables");
    }

    if (options.Runs('d'))
        report.WorkloadD = await OpenLoopWorkload.RunAsync(options, proxy, azurite, report.WorkloadB, productQueuesClearedAt,
            Path.Combine(options.ReportDir, $"host-d-{stamp}.log"), Log, AzuriteCpuNames());

    if (options.Runs('e'))
    {
        // The hosts before are gone; their campaigns' timer messages would only be swept again and again under E.
        if (options.Runs('b') || options.Runs('d'))
        {
            int queues = await AzuriteSweep.ClearQueuesAsync(options.AzuriteConnectionString, "benchproduct")
                + await AzuriteSweep.ClearQueuesAsync(options.AzuriteConnectionString, OpenLoopWorkload.Hub);
            var sweep = await AzuriteSweep.WaitPastAsync(options.AzuriteConnectionString, DateTime.UtcNow);
            Log($"E: the earlier task hubs' {queues} queues emptied; waited {sweep.Waited.TotalSeconds:F0} s for Azurite's sweep");
        }
        report.WorkloadE = await EvidenceWorkload.RunAsync(options, proxy, Path.Combine(options.ReportDir, $"host-e-{stamp}.log"), Log,
            AzuriteCpuNames());
    }
}
catch (Exception e)
{
    report.Error = e.ToString();
    Log($"FAILED: {e}");
}

report.ProxyErrors = proxy.Errors;
report.ProxyErrorsByPhase = proxy.Failures;
report.FinishedAt = DateTimeOffset.UtcNow;
report.LoadAtEnd = Machine.Describe(options.Root).LoadAtStart;
string json = report.ToJson();
string reportPath = Path.Combine(options.ReportDir, $"report-{stamp}.json");
await File.WriteAllTextAsync(reportPath, json);
Log($"report: {reportPath}");
if (options.WriteDocs && report.Error is null)
{
    await File.WriteAllTextAsync(Path.Combine(options.Root, "bench", "last-report.json"), json);
    report.WriteInto(Path.Combine(options.Root, "docs", "benchmarks.md"));
    Log("wrote bench/last-report.json and the generated section of docs/benchmarks.md");
}
else if (!options.WriteDocs)
{
    Log("docs/benchmarks.md and bench/last-report.json are left alone (only a full run writes them; --write-docs forces it)");
}
Console.WriteLine();
Console.WriteLine(report.ToMarkdown());
bool ratingsWrong = report.WorkloadB is { } rb && rb.Ratings.Mismatches.Count > 0;
bool filesWrong = report.WorkloadE is { } re && re.Wrong.Count > 0;
bool afterWrong = report.WorkloadF is { } rf && (rf.WrongCount > 0 || rf.Errors > 0);
return report.Error is not null || ratingsWrong || filesWrong || afterWrong ? 1 : 0;

// Until the host's requests to Azurite in a phase fall to twice its idle rate (and a few) over two seconds: its workflows
// have finished what they were doing. At most 45 s (B's appraisal window has room for it); answers the seconds waited.
static async Task<double> SettleAsync(CountingProxy proxy, string phase, double idlePerSecond)
{
    var waited = System.Diagnostics.Stopwatch.StartNew();
    long before = proxy.Count(phase).Total;
    while (waited.Elapsed < TimeSpan.FromSeconds(45))
    {
        await Task.Delay(TimeSpan.FromSeconds(2));
        long now = proxy.Count(phase).Total;
        if ((now - before) / 2.0 <= idlePerSecond * 2 + 5) break;
        before = now;
    }
    return waited.Elapsed.TotalSeconds;
}

static Dictionary<string, double> PerPhase(CountingProxy proxy, string prefix, List<PhaseTime> phases, int n) =>
    phases.ToDictionary(p => p.Name, p => Math.Round(proxy.Count(prefix + p.Name).Total / (double)n, 2));

static string[] AzuriteCpuNames() => [.. BenchOptions.AzuriteServices.Select(s => $"azurite {s}")];

static Dictionary<string, double> PerEvaluation(Dictionary<string, double> cpu, int n) =>
    cpu.ToDictionary(c => c.Key, c => Math.Round(c.Value * 1000 / n, 1));

static async Task<Dictionary<string, int>> OrchestrationStatusesAsync(TableServiceClient tables, string hub, int expected)
{
    var until = DateTime.UtcNow.AddSeconds(60);
    while (true)
    {
        var statuses = new Dictionary<string, int>();
        await foreach (TableEntity row in tables.GetTableClient(hub + "Instances").QueryAsync<TableEntity>(
            select: ["RuntimeStatus"], maxPerPage: 1000))
        {
            string s = row.GetString("RuntimeStatus") ?? "";
            statuses[s] = statuses.GetValueOrDefault(s) + 1;
        }
        if (statuses.GetValueOrDefault("Completed") >= expected || DateTime.UtcNow > until) return statuses;
        await Task.Delay(1000);
    }
}
