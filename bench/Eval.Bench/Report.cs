using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Eval.Bench;

public sealed record Latency(int Count, double P50, double P95, double P99, double Max, double Mean)
{
    public static Latency Of(double[] ms)
    {
        double[] s = ms.Order().ToArray();
        double At(double p) => Percentile.NearestRank(s, p);
        return new Latency(s.Length, R(At(0.50)), R(At(0.95)), R(At(0.99)), R(s[^1]), R(s.Average()));
    }

    static double R(double x) => Math.Round(x, 1);
}

public static class Percentile
{
    /// <summary>Nearest rank: the least of <paramref name="sorted"/> with a share <paramref name="p"/> of them at or below it.</summary>
    public static double NearestRank(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>
/// One endpoint's requests in the open loop (workload D): latency from each request's scheduled send time to the end of
/// its answer, every request counted (a failure at the time it failed); answers by status ("no answer" for a request
/// that failed without one). An error is anything but a 2xx or a 304, except a 409 where one is expected (the ratings
/// of a campaign before its notice), which is counted apart.
/// </summary>
public sealed record OpenLoopEndpoint(int Requests, double P50, double P90, double P99, double Max, double Mean, int Errors,
    int ExpectedConflicts, Dictionary<string, int> Statuses)
{
    public const string NoAnswer = "no answer";

    public static OpenLoopEndpoint Of(IReadOnlyCollection<(double Ms, int? Status)> answers, bool conflictExpected)
    {
        var statuses = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int errors = 0, expected = 0;
        foreach ((_, int? status) in answers)
        {
            string key = status?.ToString(CultureInfo.InvariantCulture) ?? NoAnswer;
            statuses[key] = statuses.GetValueOrDefault(key) + 1;
            if (status is 409 && conflictExpected) expected++;
            else if (status is not ((>= 200 and < 300) or 304)) errors++;
        }
        if (answers.Count == 0) return new OpenLoopEndpoint(0, 0, 0, 0, 0, 0, 0, 0, []);
        double[] s = [.. answers.Select(a => a.Ms).Order()];
        double At(double p) => Math.Round(Percentile.NearestRank(s, p), 1);
        return new OpenLoopEndpoint(s.Length, At(0.50), At(0.90), At(0.99), Math.Round(s[^1], 1), Math.Round(s.Average(), 1), errors,
            expected, new Dictionary<string, int>(statuses));
    }
}

public sealed record Target(string Name, string Goal, string Measured, bool? Met, string Verdict);

/// <summary>A workload's named goals: each judged met when nothing missed it, or all listed as not measured.</summary>
public sealed class GoalTable(params (string Name, string Goal)[] goals)
{
    public IEnumerable<Target> NotMeasured(string why) => goals.Select(g => new Target(g.Name, g.Goal, "not measured", null, why));

    public Target Judge(string name, string measured, List<string> misses) =>
        new(name, goals.Single(g => g.Name == name).Goal, measured, misses.Count == 0,
            misses.Count == 0 ? "met" : "missed: " + string.Join("; ", misses));
}

public sealed record WorkloadARecord(int Instances, double WallSeconds, double EvaluationsPerSecond, List<PhaseTime> Phases,
    PhaseCount AzuriteRequests, double AzuriteRequestsPerEvaluation, Dictionary<string, double> AzuriteRequestsPerEvaluationByPhase,
    Dictionary<string, double> CpuSeconds, Dictionary<string, double> CpuMillisecondsPerEvaluation, string Log, bool DeadlineTimers);

public sealed record WorkloadBRecord(int Branches, int Clients, double WallSeconds, double EvaluationsPerSecond, List<PhaseTime> Phases,
    Dictionary<string, Latency> LatencyMs, int HttpRequests, int Retries, RatingCheck Ratings, Dictionary<string, int> Orchestrations,
    double? HostPeakRssMiB, double? HostRssSampledMaxMiB, List<double[]> HostRssTimeline,
    PhaseCount AzuriteRequests, double AzuriteRequestsPerEvaluation, Dictionary<string, double> AzuriteRequestsPerEvaluationByPhase,
    Dictionary<string, double> CpuSeconds, Dictionary<string, double> CpuMillisecondsPerEvaluation,
    double HostIdleAzuriteRequestsPerSecond, PhaseCount SetupAzuriteRequests, string HostLog, StoppedEarly? Stopped)
{
    /// <summary>The members' appraisal's ballot phase (none: the campaign was stopped before it, or held no appraisal).</summary>
    public BallotPhase? Appraisal { get; init; }

    /// <summary>The phases B holds and A's bare engine has no counterpart of: the appraisal's rosters and ballots.</summary>
    public static readonly string[] AppraisalPhases = ["roster", "ballots"];

    /// <summary>
    /// B's evaluations a second over its wall time less the appraisal's phases: the pipeline A models (start, three
    /// human steps, publication), so B/A compares the same work with and without the product around it.
    /// </summary>
    public double? EvaluationsPerSecondWithoutAppraisal
    {
        get
        {
            double seconds = WallSeconds - Phases.Where(p => AppraisalPhases.Contains(p.Name)).Sum(p => p.Seconds);
            return Stopped is null && seconds > 0 ? Math.Round(Branches / seconds, 3) : null;
        }
    }
}

/// <summary>
/// Workload B's members' appraisal (民主测评): the window its campaign gave each branch from its self-assessment, the rosters
/// set (<see cref="Members"/> each), the ballots cast through the API in the ballot phase and how fast, at
/// <see cref="Clients"/> clients (each a branch's voters one after another), and the CPU each process used over that phase
/// alone, per ballot (the host's also over the second half of the ballots, once their code is compiled; its queue polling is
/// counted in). <see cref="NotCounting"/>: branches whose appraisal does not count (too few voted);
/// <see cref="UnderSatisfaction"/>: those under the gate's 60% satisfied.
/// </summary>
public sealed record BallotPhase(string Window, int Rosters, int Members, int Ballots, int Clients, double Seconds, double BallotsPerSecond,
    Dictionary<string, double> CpuMsPerBallot, Dictionary<string, double> CpuSeconds, double? HostCpuMsPerBallotSecondHalf,
    int NotCounting, int UnderSatisfaction)
{
    public const string RateTarget = "Ballots a second, 15 members per branch (57,150 at 3,810)";
    public const string CpuTarget = "Host CPU per ballot";
    public const string Reported = "none: reported";

    public double? HostCpuMsPerBallot => CpuMsPerBallot.TryGetValue("host", out double ms) ? ms : null;

    /// <summary>The two figures the issue asks for, neither with a goal: the ballots' rate and the host's CPU per ballot.</summary>
    public IEnumerable<Target> Targets(Latency? latency, string at)
    {
        string p = latency is { } l ? $"; p50 {l.P50:0} ms, p99 {l.P99:0} ms" : "";
        yield return new Target(RateTarget, "none: a capacity figure",
            $"{BallotsPerSecond:0.0} a second ({Ballots:N0} ballots, {Members} a branch on {Rosters:N0} rosters, in {Seconds:0.0} s, " +
            $"{Clients} clients{p}){at}", null, "a capacity figure: the clients saturate the API");
        string others = string.Join(", ", CpuMsPerBallot.Where(c => c.Key != "host").Select(c => $"{c.Key} {c.Value:0.00}"));
        yield return new Target(CpuTarget, Reported,
            HostCpuMsPerBallot is { } host
                ? $"{host:0.00} ms over the ballot phase" +
                  (HostCpuMsPerBallotSecondHalf is { } h ? $" ({h:0.00} over its second half)" : "") +
                  (others.Length > 0 ? $"; others: {others}" : "") + at
                : "not measured", null, "reported, no goal");
    }
}

public sealed record WorkloadCRecord(int Rows, List<double> BatchedWriteSeconds, List<double> PublishSeconds,
    double BatchedWriteMedianSeconds, double PublishMedianSeconds, double RowByRowSeconds, double RowParallelSeconds, int Parallelism,
    double SpeedupOverRowByRow, double SpeedupOverRowParallel, string Note);

/// <summary>
/// Workload D, the open loop (<see cref="OpenLoop"/>): the schedule it ran (submissions at a rate, pollers), the
/// published list its pollers read, the rates achieved, latency per endpoint from the scheduled send times (and the
/// submissions' window by window of the schedule), how late the
/// client sent, what it held open, how long the workflows took to take in the last submissions after the last was
/// sent, and what the open loop cost the host and Azurite.
/// </summary>
public sealed record WorkloadDRecord(int Submissions, double RatePerSecond, int Pollers, double PollIntervalSeconds, string CampaignId,
    PublishedList PublishedList, double ScheduleSeconds, double WallSeconds, int Accepted, double? SentPerSecond, double? AcceptedPerSecond,
    Dictionary<string, OpenLoopEndpoint> LatencyMs, List<OpenLoopWindow> SubmissionWindows, Latency? SendLagMs, int MaxInFlight,
    int Connections, double TakenInSeconds, PhaseCount AzuriteRequests, double AzuriteRequestsPerSubmission,
    Dictionary<string, double> CpuSeconds, double? HostPeakRssMiB, string HostLog, Dictionary<string, ProbeResult>? Probes, string Method);

/// <summary>
/// Workload E, evidence files (<see cref="EvidenceWorkload"/>): uploads, their rate and latency per step, the CPU each took
/// (the host's over the uploads alone, with its idle rate beside it), the bytes per upload the clients sent the host, put
/// into blobs and read from them, the Azurite requests per upload, and what the check found wrong.
/// </summary>
public sealed record WorkloadERecord(int Uploads, int FileBytes, int Clients, double UploadSeconds, double UploadsPerSecond,
    List<PhaseTime> Phases, Dictionary<string, Latency> LatencyMs, double HostCpuMsPerUpload, double? HostCpuMsPerUploadSecondHalf,
    double HostIdleCpuMsPerSecond,
    Dictionary<string, double> CpuMsPerUpload, Dictionary<string, double> CpuSeconds, double BytesSentToHostPerUpload,
    double BytesPutIntoStoragePerUpload, double BytesReadFromStoragePerUpload, PhaseCount AzuriteRequests, double AzuriteRequestsPerUpload,
    int Sampled, List<string> Wrong, string HostLog)
{
    /// <summary>The goal: bytes never pass through the host, whose CPU per upload stays under this.</summary>
    public const double GoalHostCpuMs = 5;
    public const string TargetName = "Host CPU per evidence upload", Goal = "< 5 ms, no file bytes through the host";

    public Target Target()
    {
        string at = Uploads == BenchOptions.FullBranches ? "" : $"; {Uploads:N0} uploads, not 3,810";
        // Judged once the host is warm: the code an upload runs is compiled (tiered, in the background) in its first minute.
        double steady = HostCpuMsPerUploadSecondHalf ?? HostCpuMsPerUpload;
        string measured = $"{steady:0.00} ms over the second half of the uploads ({HostCpuMsPerUpload:0.00} over all of them, the " +
                          $"first compilation of their code included; {UploadsPerSecond:0.0} uploads/s of {FileBytes / 1024} KiB; " +
                          $"{BytesSentToHostPerUpload:0} bytes per upload sent to the host{at})";
        var misses = new List<string>();
        if (steady >= GoalHostCpuMs) misses.Add($"over by {steady - GoalHostCpuMs:0.00} ms");
        if (BytesSentToHostPerUpload >= FileBytes / 100.0) misses.Add("file bytes went through the host");
        if (Wrong.Count > 0) misses.Add($"{Wrong.Count} files wrong ({Wrong[0]})");
        return new Target(TargetName, Goal, measured,
            misses.Count == 0, misses.Count == 0 ? "met" : "missed: " + string.Join("; ", misses));
    }
}

/// <summary>
/// Workload G, the reads of people with work waiting, on workload B's campaign while all its evaluations wait on their
/// township reviewers: the inbox by a sample of every role (<see cref="InboxReads"/>), the statistics and the unit's
/// evaluations as XLSX and CSV (<see cref="StatisticsAndExports"/>), and the Azurite requests they made.
/// </summary>
public sealed record WorkloadGRecord(int Waiting, InboxReadsRecord Inbox, StatisticsAndExportsRecord Reports, PhaseCount AzuriteRequests)
{
    /// <summary>
    /// Readers at a time: the goals are a reader's wait, not the host's capacity (B's closed loop of 32 measures that), so
    /// a few at once, enough to keep two cores busy without making the measurement their queue.
    /// </summary>
    public const int Clients = 4;

    public const string InboxTarget = "Inbox p99, the city's evaluations waiting";
    public const string StatisticsTarget = "Statistics p99, the city's evaluations waiting";
    public const string XlsxTarget = "XLSX export of the city's evaluations";

    static readonly GoalTable Goals = new(
        (InboxTarget, $"< {InboxReads.GoalP99Ms:0} ms"), (StatisticsTarget, $"< {StatisticsAndExports.GoalStatisticsP99Ms:0} ms"),
        (XlsxTarget, $"< {StatisticsAndExports.GoalXlsxSeconds:0} s, every row"));

    public static IEnumerable<Target> NotMeasured(string why) => Goals.NotMeasured(why);

    public IEnumerable<Target> Targets()
    {
        static string F(double x, string format) => x.ToString(format, CultureInfo.InvariantCulture);
        string at = Waiting == BenchOptions.FullBranches ? "" : $"; {Waiting:N0} waiting, not 3,810";

        Latency inbox = Inbox.Latency;
        var inboxMisses = new List<string>();
        if (inbox.P99 >= InboxReads.GoalP99Ms) inboxMisses.Add($"over by {F(inbox.P99 - InboxReads.GoalP99Ms, "0")} ms");
        if (Inbox.Errors > 0) inboxMisses.Add($"{Inbox.Errors} reads failed");
        yield return Goals.Judge(InboxTarget,
            $"{F(inbox.P99, "0")} ms (p50 {F(inbox.P50, "0")}; {Inbox.Reads} reads by {Inbox.Clients} clients: " +
            string.Join(", ", Inbox.ByRole.Select(r => $"{r.Role} p99 {F(r.Latency.P99, "0")} ms, {F(r.MeanItems, "0.#")} items")) +
            $"{at})", inboxMisses);

        StatisticsAndExportsRecord r = Reports;
        var statisticsMisses = new List<string>();
        if (r.StatisticsMs.P99 >= StatisticsAndExports.GoalStatisticsP99Ms)
            statisticsMisses.Add($"over by {F(r.StatisticsMs.P99 - StatisticsAndExports.GoalStatisticsP99Ms, "0")} ms");
        if (r.StatisticsErrors > 0) statisticsMisses.Add($"{r.StatisticsErrors} requests failed");
        statisticsMisses.AddRange(r.Problems.Where(p => p.StartsWith("statistics", StringComparison.Ordinal)));
        yield return Goals.Judge(StatisticsTarget,
            $"{F(r.StatisticsMs.P99, "0")} ms (p50 {F(r.StatisticsMs.P50, "0")}; {r.StatisticsMs.Count} requests by {r.Clients} " +
            $"clients over the city and its counties; the first, computing, {F(r.FirstStatisticsMs, "0")} ms{at})", statisticsMisses);

        var xlsxMisses = new List<string>();
        double slowest = r.XlsxSeconds.DefaultIfEmpty(double.NaN).Max();
        if (!(slowest < StatisticsAndExports.GoalXlsxSeconds))
            xlsxMisses.Add($"over by {F(slowest - StatisticsAndExports.GoalXlsxSeconds, "0.00")} s");
        xlsxMisses.AddRange(r.Problems.Where(p => !p.StartsWith("statistics", StringComparison.Ordinal)));
        yield return Goals.Judge(XlsxTarget,
            $"{F(slowest, "0.00")} s, the slowest of {r.XlsxSeconds.Length} to the last byte ({F(r.XlsxBytes / 1024.0, "0")} KiB, " +
            $"{r.XlsxRows - 1:N0} rows and a header; CSV {F(r.CsvSeconds, "0.00")} s{at})", xlsxMisses);
    }
}

/// <summary>
/// Workload F, after publication (<see cref="AfterPublication"/>), on workload B's published campaign: the signed list, the
/// public page of a title, the honours register and branches' histories, and revocations decided together; latency per
/// endpoint, the Azurite requests of each phase, and what the checks found wrong (<see cref="WrongCount"/> in all, the
/// first of them listed).
/// </summary>
public sealed record WorkloadFRecord(string CampaignId, int Branches, int Titles, int Clients, double WallSeconds, SigningRecord Signing,
    int PublicReads, double PublicReadSeconds, double PublicReadsPerSecond, int RegisterPageSize, int RegisterPages, int RegisterTitles,
    double RegisterSeconds, ChangesRecord Changes, Dictionary<string, Latency> LatencyMs, int Errors, List<string> Wrong, int WrongCount,
    Dictionary<string, PhaseCount> AzuriteRequestsByPhase, string Method)
{
    public const string SigningTarget = "The list signed after publication (ES256, verified here)";
    public const string PublicTarget = "Public page of a title (JSON) p95, one reader's wait";
    public const string RegisterTarget = "Honours register, a page p95, walked to the end";
    public const string HistoryTarget = "A branch's honours (history) p95";
    public const string ShownTarget = "A revocation on the public page after its decision, p95";
    public const string SignedOnceTarget = "Revocations signed into the list, together";
    public const double GoalSigningSeconds = 30, GoalPublicP95Ms = 50, GoalRegisterPageP95Ms = 200, GoalShownSeconds = 10;

    static readonly GoalTable Goals = new(
        (SigningTarget, $"< {GoalSigningSeconds:0} s from publication (3,810)"), (PublicTarget, $"< {GoalPublicP95Ms:0} ms"),
        (RegisterTarget, $"< {GoalRegisterPageP95Ms:0} ms, every title"), (HistoryTarget, "none: reported"),
        (ShownTarget, $"< {GoalShownSeconds:0} s"), (SignedOnceTarget, "every one in the newest list; ≤ 1 + changes lists"));

    public static IEnumerable<Target> NotMeasured(string why) => Goals.NotMeasured(why);

    public IEnumerable<Target> Targets()
    {
        static string F(double x, string format) => x.ToString(format, CultureInfo.InvariantCulture);
        string at = Branches == BenchOptions.FullBranches ? "" : $"; at {Branches:N0} branches, not 3,810";

        SigningRecord s = Signing;
        var signing = new List<string>();
        if (s.PublishedToSignedSeconds is not { } took) signing.Add("not signed");
        else if (took >= GoalSigningSeconds) signing.Add($"over by {F(took - GoalSigningSeconds, "0.0")} s");
        if (!s.SignatureValid) signing.Add("the signature did not verify");
        if (s.Version != 1) signing.Add($"the first list answered was version {s.Version}");
        if (s.SignedRatings != s.PublishedRatings || s.RatingsAsPublished != s.PublishedRatings)
            signing.Add($"{s.SignedRatings:N0} ratings signed ({s.RatingsAsPublished:N0} as published), {s.PublishedRatings:N0} published");
        // The first answer may already have been 200: then the list was signed by then, not at that moment.
        string first = s.Conflicts == 0 ? "at most " : "";
        yield return Goals.Judge(SigningTarget,
            s.PublishedToSignedSeconds is { } t
                ? $"{first}{F(t, "0.0")} s to version 1 answered (signed {F(s.IssuedAfterSeconds ?? 0, "0.0")} s after publication; " +
                  $"{F(s.JwsBytes / 1024.0, "0")} KiB; {s.SignedRatings:N0} ratings = the published list's {s.PublishedRatings:N0}{at})"
                : "not signed" + at, signing);

        // Judged on one reader's reads: the closed loop's p95 is its own queue (32 clients ÷ the rate, Little's law), as B's
        // is; its rate is the capacity, reported beside.
        var json = LatencyMs.GetValueOrDefault(AfterPublication.PublicOneClient);
        string loop = LatencyMs.GetValueOrDefault(AfterPublication.PublicJson) is { } all
            ? $"; {PublicReads:N0} reads by {Clients} closed-loop clients at {F(PublicReadsPerSecond, "0")}/s, " +
              $"their p95 {F(all.P95, "0")} ms"
            : "";
        var pub = new List<string>();
        if (json is null) pub.Add("no read answered");
        else if (json.P95 >= GoalPublicP95Ms) pub.Add($"over by {F(json.P95 - GoalPublicP95Ms, "0")} ms");
        yield return Goals.Judge(PublicTarget, json is null ? "not measured" :
            $"{F(json.P95, json.P95 < GoalPublicP95Ms ? "0.#" : "0")} ms (p50 {F(json.P50, "0")}, p99 {F(json.P99, "0")}; " +
            $"{json.Count:N0} reads by one client, one after another{loop}{at})", pub);

        var page = LatencyMs.GetValueOrDefault(AfterPublication.RegisterPage);
        var register = new List<string>();
        if (page is null) register.Add("no page answered");
        else if (page.P95 >= GoalRegisterPageP95Ms) register.Add($"over by {F(page.P95 - GoalRegisterPageP95Ms, "0")} ms");
        if (RegisterTitles != Titles) register.Add($"{RegisterTitles:N0} titles walked, {Titles:N0} published");
        yield return Goals.Judge(RegisterTarget, page is null ? "not measured" :
            $"{F(page.P95, "0")} ms (p50 {F(page.P50, "0")}, max {F(page.Max, "0")}; {RegisterPages} pages of {RegisterPageSize}, " +
            $"{RegisterTitles:N0} titles of {Titles:N0}, {F(RegisterSeconds, "0.0#")} s in all, one client{at})", register);

        var history = LatencyMs.GetValueOrDefault(AfterPublication.History);
        yield return new Target(HistoryTarget, "none: reported", history is null ? "not measured" :
            $"{F(history.P95, "0")} ms (p50 {F(history.P50, "0")}; {history.Count:N0} reads by {Clients} closed-loop clients{at})",
            null, "reported, no goal");

        ChangesRecord c = Changes;
        var shown = new List<string>();
        if (c.Shown < c.Changes) shown.Add($"{c.Changes - c.Shown} of {c.Changes} never shown");
        if (c.ShownMs is { } sm && sm.P95 >= GoalShownSeconds * 1000)
            shown.Add($"over by {F(sm.P95 / 1000 - GoalShownSeconds, "0.0#")} s");
        string aloneShown = c.Alone?.ShownMs is { } soloShown ? $"; one alone before them: {F(soloShown / 1000, "0.0")} s" : "";
        yield return Goals.Judge(ShownTarget, c.ShownMs is not { } ms ? "none shown" :
            $"{F(ms.P95 / 1000, "0.0")} s (p50 {F(ms.P50 / 1000, "0.0")}, max {F(ms.Max / 1000, "0.0")}; {c.Changes} revocations " +
            $"decided together, each page polled every {F(AfterPublication.ChangePoll.TotalSeconds, "0.0")} s{aloneShown}{at})", shown);

        var once = new List<string>();
        if (c.FinalVersionHeader != c.ExpectedVersion || c.FinalVersionPayload != c.ExpectedVersion)
            once.Add($"the newest version is {c.FinalVersionHeader} (payload {c.FinalVersionPayload}), not the {c.ExpectedVersion} stored");
        if (!c.SignedTogether) once.Add($"{c.StatementsStored} statements stored, not one at publication and at most one per change");
        if (c.RevokedInSignedList != c.AllChanges) once.Add($"{c.RevokedInSignedList} revoked in the newest list, not {c.AllChanges}");
        if (c.RevokedInRegister != c.AllChanges) once.Add($"{c.RevokedInRegister} revoked in the register, not {c.AllChanges}");
        if (c.Signed < c.Changes) once.Add($"{c.Changes - c.Signed} never seen signed");
        yield return Goals.Judge(SignedOnceTarget,
            $"version {c.FinalVersionHeader?.ToString(CultureInfo.InvariantCulture) ?? "—"} after {c.AllChanges} changes " +
            $"(one alone, then {c.Changes} together), " +
            $"{c.StatementsStored} statements stored; from a decision to a signed list showing it " +
            (c.SignedMs is { } sg ? $"p50 {F(sg.P50 / 1000, "0.0")} s, p95 {F(sg.P95 / 1000, "0.0")} s" : "never") +
            $"; the last {F(c.SettledSeconds, "0.0")} s after the first decision" +
            (c.Alone?.SignedMs is { } solo ? $"; one alone: in a signed list after {F(solo / 1000, "0.0")} s" : "") + at,
            once);
    }
}

/// <summary>The published list workload D's pollers read: which campaign, its rows, and where it came from.</summary>
public sealed record PublishedList(string CampaignId, int Rows, string Source);

/// <summary>The report of one run: JSON for machines, and the generated section of docs/benchmarks.md for people.</summary>
public sealed class BenchReport
{
    public const string BeginMarker = "<!-- bench:begin -->";
    public const string EndMarker = "<!-- bench:end -->";

    public required string Command { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset FinishedAt { get; set; }
    public required Machine Machine { get; init; }
    public required object Options { get; init; }
    public required string Proxy { get; init; }
    public long ProxyErrors { get; set; }
    public Dictionary<string, long> ProxyErrorsByPhase { get; set; } = [];
    /// <summary>The load average when the run ended (the machine's at the start is in <see cref="Machine"/>).</summary>
    public string LoadAtEnd { get; set; } = "";
    public WorkloadARecord? WorkloadA { get; set; }
    public WorkloadBRecord? WorkloadB { get; set; }
    public WorkloadCRecord? WorkloadC { get; set; }
    public WorkloadDRecord? WorkloadD { get; set; }
    public WorkloadERecord? WorkloadE { get; set; }
    public WorkloadFRecord? WorkloadF { get; set; }
    public WorkloadGRecord? WorkloadG { get; set; }
    /// <summary>The ranking of the whole city, timed in process beside workload B, and B's proposal as its client saw it.</summary>
    public RankingRecord? Ranking { get; set; }
    /// <summary>
    /// Throughput of B, less the appraisal's phases A has no counterpart of, over throughput of A (evaluations per
    /// second); <see cref="RatioBAWhole"/> keeps B's whole wall time.
    /// </summary>
    public double? RatioBA => WorkloadA is { } a && WorkloadB?.EvaluationsPerSecondWithoutAppraisal is { } b
        ? Math.Round(b / a.EvaluationsPerSecond, 3)
        : null;
    /// <summary>Throughput of B over its whole wall time (appraisal included) over throughput of A.</summary>
    public double? RatioBAWhole => WorkloadA is { } a && WorkloadB is { } b
        ? Math.Round(b.EvaluationsPerSecond / a.EvaluationsPerSecond, 3)
        : null;
    public List<Target> Targets => BuildTargets();
    public string? Error { get; set; }

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The latency goal: a self-assessment's p99 under this, submissions arriving at <see cref="GoalRatePerSecond"/>.</summary>
    public const double GoalP99Ms = 100;
    public const double GoalRatePerSecond = 20;

    /// <summary>
    /// What B's closed loop says about capacity: each client sends its next request when one is answered, so the rate
    /// the API accepted is the clients divided by the mean latency (Little's law). Not a latency goal: a saturating
    /// closed loop makes its own queue, so its latency is whatever its client count makes it (the goal is D's).
    /// </summary>
    public static string ClosedLoopCapacity(int clients, double meanMs) =>
        meanMs <= 0 ? "" :
        $"about {clients * 1000 / meanMs:0} accepted a second: {clients} clients ÷ a mean of {meanMs:0} ms, Little's law";

    static Target ClosedLoopTarget(WorkloadBRecord b, Latency sa, string at) =>
        new($"Self-assessment p99 at {b.Clients} closed-loop clients", CapacityFigure,
            $"{sa.P99:0} ms (p50 {sa.P50:0} ms; {ClosedLoopCapacity(b.Clients, sa.Mean)}){at}", null,
            "a capacity figure: the clients saturate the API, so their latency measures its queue, not a user's wait; " +
            "the latency goal is workload D's");

    const string CapacityFigure = "none: a capacity figure";

    /// <summary>
    /// The latency goal, judged on workload D: p99 under 100 ms with every submission accepted, at 20 a second. A run at
    /// another rate is reported, not judged.
    /// </summary>
    public static Target OpenLoopTarget(WorkloadDRecord d)
    {
        string name = $"Self-assessment p99, open loop at {d.RatePerSecond:0.##}/s";
        string goal = $"< {GoalP99Ms:0} ms at {GoalRatePerSecond:0}/s";
        if (!d.LatencyMs.TryGetValue(Endpoints.SelfAssessment, out OpenLoopEndpoint? sa) || sa.Requests == 0)
            return new Target(name, goal, "not measured", null, "no submission was sent");
        string at = d.Submissions == BenchOptions.FullBranches ? "" : $"; {d.Submissions:N0} submissions, not 3,810";
        // A p99 just under the goal is not rounded up to it.
        string p99 = sa.P99.ToString(sa.P99 < GoalP99Ms ? "0.#" : "0", CultureInfo.InvariantCulture);
        string measured = $"{p99} ms (p50 {sa.P50:0}, p90 {sa.P90:0}, max {sa.Max:0}; " +
                          $"sent at {d.SentPerSecond ?? d.RatePerSecond:0.0}/s, accepted at {d.AcceptedPerSecond ?? 0:0.0}/s{at})";
        if (d.RatePerSecond != GoalRatePerSecond)
            return new Target(name, goal, measured, null,
                $"not judged: the goal is at {GoalRatePerSecond:0}/s, this run sent {d.RatePerSecond:0.##}/s");
        var misses = new List<string>();
        if (sa.P99 >= GoalP99Ms) misses.Add($"over by {sa.P99 - GoalP99Ms:0} ms ({Pct((sa.P99 - GoalP99Ms) / GoalP99Ms)} over)");
        if (sa.Errors > 0)
        {
            string statuses = string.Join(", ", sa.Statuses.Where(x => x.Key != "202").Select(x => $"{x.Value} × {x.Key}"));
            misses.Add($"{sa.Errors:N0} of {sa.Requests:N0} submissions not accepted ({statuses})");
        }
        return Meet(name, goal, measured, misses.Count == 0, string.Join("; ", misses));
    }

    List<Target> BuildTargets()
    {
        var t = new List<Target>();
        int n = WorkloadB?.Branches ?? WorkloadA?.Instances ?? WorkloadD?.Submissions ?? WorkloadC?.Rows ?? 0;
        string at = n == BenchOptions.FullBranches ? "" : $" (at {n:N0} branches, not 3,810)";

        if (RatioBA is { } ratio)
        {
            string whole = RatioBAWhole is { } w && w != ratio ? $" (B's whole wall, appraisal included: {w:0.00})" : "";
            t.Add(Meet("B/A throughput", "≥ 0.7", $"{ratio:0.00}{at}{whole}", ratio >= 0.7,
                $"short by {0.7 - ratio:0.00} ({Pct((0.7 - ratio) / 0.7)} below the goal)"));
        }
        else t.Add(new Target("B/A throughput", "≥ 0.7", "not measured", null, "needs workloads A and B"));

        if (WorkloadB is { } b)
        {
            if (b.Stopped is { } stop)
            {
                string unfinished = $"not finished: stopped after {b.WallSeconds / 60:0.0} min in {stop.Phase}{at}";
                t.Add(b.WallSeconds >= 600
                    ? Meet("Campaign start to published", "< 10 min", unfinished, false,
                        $"over by more than {(b.WallSeconds - 600) / 60:0.0} min")
                    : new Target("Campaign start to published", "< 10 min", unfinished, null,
                        "not known: the time limit was under 10 min"));
            }
            else
                t.Add(Meet("Campaign start to published", "< 10 min", $"{b.WallSeconds / 60:0.0} min ({b.WallSeconds:0} s){at}",
                    b.WallSeconds < 600,
                    $"over by {(b.WallSeconds - 600) / 60:0.0} min ({Pct((b.WallSeconds - 600) / 600)} over)"));
            t.Add(WorkloadD is { } d ? OpenLoopTarget(d) : OpenLoopNotMeasured);
            if (b.LatencyMs.TryGetValue(Endpoints.SelfAssessment, out Latency? sa)) t.Add(ClosedLoopTarget(b, sa, at));
            if (b.Appraisal is { } ap) t.AddRange(ap.Targets(b.LatencyMs.GetValueOrDefault(Endpoints.Ballot), at));
            else t.AddRange(BallotsNotMeasured(b.Stopped is null ? "workload B's campaign held no appraisal" : "B was stopped before"));
            if (b.HostPeakRssMiB is { } rss)
            {
                double mb = rss * 1.048576; // the target is in MB (10^6 bytes), the measure in MiB
                t.Add(Meet("Peak RSS of the host", "< 600 MB", $"{mb:0} MB ({rss:0} MiB){at}", mb < 600,
                    $"over by {mb - 600:0} MB ({Pct((mb - 600) / 600)} over)"));
            }
            if (b.Stopped is not null)
                t.Add(new Target("Every Ratings row as the formula says", "all", "not checked: the campaign was stopped before publication",
                    null, "not known"));
            else
                t.Add(Meet("Every Ratings row as the formula says", "all",
                    $"{b.Ratings.Rows - b.Ratings.Mismatches.Count(m => !m.EndsWith("no Ratings row", StringComparison.Ordinal))}" +
                    $" of {b.Ratings.Expected}",
                    b.Ratings.Mismatches.Count == 0 && b.Ratings.Rows == b.Ratings.Expected, $"{b.Ratings.Mismatches.Count} mismatches"));
        }
        else
        {
            t.Add(new Target("Campaign start to published", "< 10 min", "not measured", null, "needs workload B"));
            t.Add(WorkloadD is { } d ? OpenLoopTarget(d) : OpenLoopNotMeasured);
            t.Add(new Target("Self-assessment p99 at 32 closed-loop clients", CapacityFigure, "not measured", null, "needs workload B"));
            t.AddRange(BallotsNotMeasured("needs workload B"));
            t.Add(new Target("Peak RSS of the host", "< 600 MB", "not measured", null, "needs workload B"));
        }

        t.Add(Ranking?.Target() ?? new Target(RankingRecord.TargetName, "< 1 s", "not measured", null, "needs workload B"));

        if (WorkloadC is { } c)
        {
            t.Add(Meet($"Publication of {c.Rows:N0} ratings", "< 3 s",
                $"{c.PublishMedianSeconds:0.00} s (read + batched write; write alone {c.BatchedWriteMedianSeconds:0.00} s)",
                c.PublishMedianSeconds < 3, $"over by {c.PublishMedianSeconds - 3:0.00} s ({Pct((c.PublishMedianSeconds - 3) / 3)} over)"));
            t.Add(Meet("Batched vs row by row", "≥ 5× faster",
                $"{c.SpeedupOverRowByRow:0.0}× ({c.SpeedupOverRowParallel:0.0}× over {c.Parallelism} parallel)",
                c.SpeedupOverRowByRow >= 5,
                $"short by {5 - c.SpeedupOverRowByRow:0.0}× ({Pct((5 - c.SpeedupOverRowByRow) / 5)} below the goal)"));
        }
        else
        {
            t.Add(new Target("Publication of 3,810 ratings", "< 3 s", "not measured", null, "needs workload C"));
            t.Add(new Target("Batched vs row by row", "≥ 5× faster", "not measured", null, "needs workload C"));
        }
        t.Add(WorkloadE?.Target() ??
            new Target(WorkloadERecord.TargetName, WorkloadERecord.Goal, "not measured", null, "needs workload E"));
        t.AddRange(WorkloadF?.Targets() ?? WorkloadFRecord.NotMeasured("needs workload F"));
        t.AddRange(WorkloadG?.Targets() ?? WorkloadGRecord.NotMeasured("needs workload G"));
        return t;
    }

    static Target[] BallotsNotMeasured(string why) =>
    [
        new(BallotPhase.RateTarget, CapacityFigure, "not measured", null, why),
        new(BallotPhase.CpuTarget, BallotPhase.Reported, "not measured", null, why),
    ];

    static readonly Target OpenLoopNotMeasured =
        new("Self-assessment p99, open loop at 20/s", "< 100 ms at 20/s", "not measured", null, "needs workload D");

    static string Pct(double fraction) => $"{fraction * 100:0}%";

    static Target Meet(string name, string goal, string measured, bool met, string missedBy) =>
        new(name, goal, measured, met, met ? "met" : "missed: " + missedBy);

    /// <summary>The generated section of docs/benchmarks.md (between the markers).</summary>
    public string ToMarkdown()
    {
        var md = new StringBuilder();
        string F(double x, string format = "0.00") => x.ToString(format, CultureInfo.InvariantCulture);
        md.AppendLine(BeginMarker);
        md.AppendLine("<!-- Generated by ./eval bench: edits here are overwritten by the next full run. -->");
        md.AppendLine();
        md.AppendLine($"Last run: {StartedAt:yyyy-MM-dd HH:mm} UTC, `{Command}` ({FinishedAt - StartedAt:h\\:mm\\:ss} in all).");
        md.AppendLine();
        md.AppendLine("| machine | |");
        md.AppendLine("|---|---|");
        md.AppendLine($"| CPU | {Machine.Cpu}, {Machine.Cores} cores |");
        md.AppendLine($"| memory | {F(Machine.MemoryGiB, "0.0")} GiB |");
        md.AppendLine($"| OS | {Machine.Os} ({Machine.Kernel}) |");
        md.AppendLine($"| .NET | {Machine.DotNet} |");
        md.AppendLine($"| Azurite | {Machine.Azurite}, {Machine.Persistence} |");
        md.AppendLine($"| load average (1, 5, 15 min) at start / end | {Machine.LoadAtStart} / {LoadAtEnd} |");
        string failures = ProxyErrorsByPhase.Count == 0
            ? ""
            : ": " + string.Join(", ", ProxyErrorsByPhase.Select(f => $"{f.Value} in {f.Key}"));
        md.AppendLine($"| Azurite requests counted by | {Proxy} ({ProxyErrors} forwarding errors{failures}) |");
        md.AppendLine();
        if (Error is not null)
        {
            md.AppendLine($"**The run failed:** `{Error.Split('\n')[0].Trim()}`");
            md.AppendLine();
        }
        if (WorkloadB?.Stopped is { } stopped)
        {
            md.AppendLine($"**Workload B was stopped by its time limit** (`--time-limit {F(stopped.LimitMinutes, "0.##")}`) " +
                          $"in {stopped.Phase}, " +
                          $"{F(WorkloadB.WallSeconds / 60, "0.0")} min after the campaign's start, with its evaluations at: " +
                          string.Join(", ", stopped.Stages.Select(s => $"{s.Key} {s.Value:N0}")) +
                          ". Its evaluations/s counts those done by then.");
            md.AppendLine();
        }
        md.AppendLine("| target | goal | measured | met? |");
        md.AppendLine("|---|---|---|---|");
        foreach (Target t in Targets)
            md.AppendLine($"| {t.Name} | {t.Goal} | {t.Measured} | " +
                          $"{(t.Met switch { true => "yes", false => "**no** — " + t.Verdict["missed: ".Length..], null => "—" })} |");
        md.AppendLine();

        if (WorkloadA is not null || WorkloadB is not null)
        {
            md.AppendLine(
                "| workload | evaluations | wall | evaluations/s | Azurite requests per evaluation (blob / queue / table) | phases (s) |");
            md.AppendLine("|---|---|---|---|---|---|");
            if (WorkloadA is { } a)
                md.AppendLine($"| A: bare engine{(a.DeadlineTimers ? "" : ", no deadline timers")} | {a.Instances:N0} | " +
                              $"{F(a.WallSeconds, "0.0")} s | {F(a.EvaluationsPerSecond)} | {F(a.AzuriteRequestsPerEvaluation, "0.0")} " +
                              $"({PerEval(a.AzuriteRequests, a.Instances)}) | {Phases(a.Phases)} |");
            if (WorkloadB is { } b)
                md.AppendLine($"| B: product over HTTP | {b.Branches:N0} | " +
                              $"{F(b.WallSeconds, "0.0")} s | {F(b.EvaluationsPerSecond)} | {F(b.AzuriteRequestsPerEvaluation, "0.0")} " +
                              $"({PerEval(b.AzuriteRequests, b.Branches)}) | {Phases(b.Phases, stoppedInLast: b.Stopped is not null)} |");
            if (RatioBA is { } r)
                md.AppendLine($"| B/A, B without the appraisal's phases ({string.Join(", ", WorkloadBRecord.AppraisalPhases)}) " +
                              $"| | | {F(r)} | | |");
            if (RatioBAWhole is { } whole && whole != RatioBA) md.AppendLine($"| B/A, B's whole wall time | | | {F(whole)} | | |");
            md.AppendLine();
        }
        if (WorkloadA is { } pa && WorkloadB is { } pb)
        {
            md.AppendLine("Step by step (seconds, and Azurite requests per evaluation, in each step):");
            md.AppendLine();
            md.AppendLine("| step | A: bare engine | B: product |");
            md.AppendLine("|---|---|---|");
            (string Step, string[] A, string[] B)[] rows =
            [
                ("start (all running, none pending)", ["schedule", "start"], ["start"]),
                ("1st event (self-assessment)", ["event 1"], ["self-assessment"]),
                ("members' appraisal (rosters, ballots)", [], ["roster", "ballots"]),
                ("2nd event (township review)", ["event 2"], ["township review"]),
                ("3rd event (county score), completion", ["event 3", "complete"], ["county score"]),
                ("publication, notice, published", [], ["publication to notice", "notice to published"]),
            ];
            // A step B did not finish (stopped by its time limit) counts nothing here.
            List<PhaseTime> bFinished = pb.Stopped is null ? pb.Phases : pb.Phases[..^1];
            foreach (var (step, aNames, bNames) in rows)
                md.AppendLine($"| {step} | {Step(pa.Phases, pa.AzuriteRequestsPerEvaluationByPhase, aNames)} | " +
                              $"{Step(bFinished, pb.AzuriteRequestsPerEvaluationByPhase, bNames)} |");
            md.AppendLine();
            md.AppendLine("CPU per evaluation (ms, user + system): A — " +
                          string.Join(", ", pa.CpuMillisecondsPerEvaluation.Select(c => $"{c.Key} {F(c.Value, "0.0")}")) +
                          "; B — " +
                          string.Join(", ", pb.CpuMillisecondsPerEvaluation.Select(c => $"{c.Key} {F(c.Value, "0.0")}")) + ".");
            md.AppendLine();
        }
        if (WorkloadB is { } wb)
        {
            md.AppendLine($"HTTP latency of workload B at {wb.Clients} concurrent clients " +
                          $"({wb.HttpRequests:N0} requests, {wb.Retries} retries), in ms:");
            md.AppendLine();
            md.AppendLine("| endpoint | requests | p50 | p95 | p99 | max |");
            md.AppendLine("|---|---|---|---|---|---|");
            foreach ((string endpoint, Latency l) in wb.LatencyMs.OrderBy(l => Array.IndexOf(Endpoints.Order, l.Key)))
                md.AppendLine($"| `{endpoint}` | {l.Count:N0} | {F(l.P50, "0")} | {F(l.P95, "0")} | {F(l.P99, "0")} | {F(l.Max, "0")} |");
            md.AppendLine();
            md.AppendLine($"Host: peak RSS {F(wb.HostPeakRssMiB ?? 0, "0")} MiB (VmHWM; sampled every second, " +
                          $"max {F(wb.HostRssSampledMaxMiB ?? 0, "0")} MiB); " +
                          $"idle, it makes {F(wb.HostIdleAzuriteRequestsPerSecond, "0.0")} Azurite requests/s (queue polling). " +
                          (wb.Stopped is not null ? "Ratings: not checked (the campaign was stopped)." :
                          $"Ratings: {wb.Ratings.Rows:N0} rows checked, {wb.Ratings.Mismatches.Count} mismatches; levels " +
                          string.Join(", ", wb.Ratings.Levels.Select(l => $"{l.Key} {l.Value:N0}")) + "."));
            md.AppendLine();
            if (wb.Appraisal is { } ap)
            {
                md.AppendLine($"Members' appraisal (民主测评): a window of {ap.Window} from each self-assessment; " +
                              $"{ap.Rosters:N0} rosters of {ap.Members} set by the secretaries, then {ap.Ballots:N0} ballots, " +
                              $"each branch's voters one after another, {ap.Clients} branches at a time: {F(ap.Seconds, "0.0")} s, " +
                              $"{F(ap.BallotsPerSecond, "0.0")} " +
                              "ballots a second. CPU ms per ballot over the ballot phase: " +
                              string.Join(", ", ap.CpuMsPerBallot.Select(c => $"{c.Key} {F(c.Value)}")) +
                              (ap.HostCpuMsPerBallotSecondHalf is { } h ? $" (host {F(h)} over its second half)" : "") +
                              $". {ap.NotCounting:N0} appraisals do not count (too few voted) and {ap.UnderSatisfaction:N0} are under " +
                              "60% satisfied: both capped at qualified.");
                md.AppendLine();
            }
        }
        if (Ranking is { } rk)
        {
            md.AppendLine($"Ranking: `Ranking.Rank` on the city's {rk.Evaluations:N0} evaluations (the oracle's scores, places per " +
                          $"county in {rk.Counties} counties, the flag and appraisal gates), in the bench process: first run " +
                          $"{F(rk.FirstRunMs, "0.0")} ms (compiling), then best {F(rk.BestMs, "0.0")} ms and median " +
                          $"{F(rk.MedianMs, "0.0")} ms of {rk.RunsMs.Count}; " +
                          $"{rk.Strongest:N0} strongest, {rk.DifferencesFromOracle} ranks or levels differing from the oracle's." +
                          (rk.ProposalSeconds is { } ps
                              ? $" The host's proposal at {rk.ProposalBranches:N0} branches, from the publication's 202 to the list in " +
                                $"publicity: {F(ps, "0.00")} s ({RankingRecord.ProposalIncludes}){rk.ProposalHistoryText}."
                              : ""));
            md.AppendLine();
        }
        if (WorkloadD is { } wd) AppendOpenLoop(md, wd);
        if (WorkloadC is { } c)
        {
            md.AppendLine($"Publication write path ({c.Rows:N0} rows of the Ratings shape, straight to Azurite):");
            md.AppendLine();
            md.AppendLine("| way | seconds |");
            md.AppendLine("|---|---|");
            md.AppendLine($"| batched, transactions of 100 (`RatingStore`, median of {c.BatchedWriteSeconds.Count}) | " +
                          $"{F(c.BatchedWriteMedianSeconds)} |");
            md.AppendLine($"| publication: read the proposed list + batched write (`RatingStore.PublishAsync`) | " +
                          $"{F(c.PublishMedianSeconds)} |");
            md.AppendLine($"| one request per row, sequential | {F(c.RowByRowSeconds)} |");
            md.AppendLine($"| one request per row, {c.Parallelism} at a time | {F(c.RowParallelSeconds)} |");
            md.AppendLine();
        }
        if (WorkloadE is { } e) AppendEvidence(md, e);
        if (WorkloadF is { } f) AppendAfterPublication(md, f);
        if (WorkloadG is { } g) AppendWaitingReads(md, g);
        md.AppendLine("The whole report, with Azurite requests per operation and the host's memory timeline: `bench/last-report.json`.");
        md.AppendLine(EndMarker);
        return md.ToString();
    }

    static void AppendEvidence(StringBuilder md, WorkloadERecord e)
    {
        static string F(double x, string format) => x.ToString(format, CultureInfo.InvariantCulture);
        md.AppendLine($"Evidence files (workload E): {e.Uploads:N0} branches each ask for an upload slot, PUT a {e.FileBytes / 1024} KiB " +
                      $"PDF straight to storage and complete it, {e.Clients} at a time: {F(e.UploadsPerSecond, "0.0")} uploads/s " +
                      $"({F(e.UploadSeconds, "0.0")} s); then each cites its file in its self-assessment. Latency in ms:");
        md.AppendLine();
        md.AppendLine("| step | requests | p50 | p95 | p99 | max |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach ((string step, Latency l) in e.LatencyMs)
            md.AppendLine($"| `{step}` | {l.Count:N0} | {F(l.P50, "0")} | {F(l.P95, "0")} | {F(l.P99, "0")} | {F(l.Max, "0")} |");
        md.AppendLine();
        md.AppendLine("Per upload: CPU ms " + string.Join(", ", e.CpuMsPerUpload.Select(c => $"{c.Key} {F(c.Value, "0.00")}")) +
                      $" (the host idle uses {F(e.HostIdleCpuMsPerSecond, "0.0")} ms/s, counted in); " +
                      $"{F(e.BytesSentToHostPerUpload, "0")} " +
                      $"bytes sent to the host (the slot and completion requests), {F(e.BytesPutIntoStoragePerUpload / 1024, "0")} KiB " +
                      $"put into storage by the client, {F(e.BytesReadFromStoragePerUpload / 1024, "0")} KiB read from storage by the " +
                      $"host (the file once, to check its kind and hash it); {F(e.AzuriteRequestsPerUpload, "0.0")} Azurite " +
                      $"requests. Checked: every completion's SHA-256 against the client's, and {e.Sampled} evaluations read and " +
                      $"files downloaded as their township reviewer: {e.Wrong.Count} wrong.");
        md.AppendLine();
    }

    static void AppendAfterPublication(StringBuilder md, WorkloadFRecord f)
    {
        static string F(double x, string format) => x.ToString(format, CultureInfo.InvariantCulture);
        static string Sec(double? ms) => ms is { } m ? $"{F(m / 1000, "0.0")} s" : "never";
        SigningRecord s = f.Signing;
        ChangesRecord c = f.Changes;
        md.AppendLine($"After publication (workload F), on `{f.CampaignId}` ({f.Titles:N0} titles of {f.Branches:N0} branches), " +
                      $"{f.Clients} clients: the list was signed " +
                      (s.PublishedToSignedSeconds is { } t
                          ? $"{F(s.IssuedAfterSeconds ?? 0, "0.0")} s after its publication and answered as version {s.Version} after " +
                            $"{F(t, "0.0")} s ({s.Conflicts} answers 409 before it, polled every " +
                            $"{F(AfterPublication.SigningPoll.TotalMilliseconds, "0")} ms from when B's client saw the campaign " +
                            $"published); a compact JWS of {F(s.JwsBytes / 1024.0, "0")} KiB, " +
                            $"{(s.SignatureValid ? "verified" : "**not** verified")} with ECDsa P-256 against `GET /api/keys`, " +
                            $"{s.SignedRatings:N0} ratings ({s.RatingsAsPublished:N0} as the published list of {s.PublishedRatings:N0}). "
                          : "**never** (its ratings.jws was not answered 200). ") +
                      $"{f.PublicReads:N0} public pages (JSON) of random titles at {F(f.PublicReadsPerSecond, "0")}/s, then pages as a " +
                      $"browser asks, PNG and SVG codes; the register walked by one client, {f.RegisterPages} pages of " +
                      $"{f.RegisterPageSize}, {f.RegisterTitles:N0} titles in {F(f.RegisterSeconds, "0.0#")} s; branches' histories. " +
                      "Then one revocation alone, proposed by its county scorer and approved without notice " +
                      (c.Alone is { } one
                          ? $"(from its decision's 202: on its public page after {Sec(one.ShownMs)}, in a signed list after " +
                            $"{Sec(one.SignedMs)}); "
                          : "; ") +
                      $"then {c.Changes} more, proposed and approved together " +
                      $"({F(c.DecideSeconds, "0.0")} s to send the decisions): " +
                      $"{c.Shown} shown revoked on their public page, {c.Signed} in a signed list " +
                      $"(first seen in {c.VersionsSeen} versions); the newest version " +
                      $"{c.FinalVersionHeader?.ToString(CultureInfo.InvariantCulture) ?? "—"} " +
                      $"after 1 + {c.AllChanges} changes, {c.StatementsStored} statements stored, " +
                      $"{c.RevokedInRegister} titles revoked in the register. Latency in ms:");
        md.AppendLine();
        md.AppendLine("| endpoint | requests | p50 | p95 | p99 | max |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach ((string endpoint, Latency l) in f.LatencyMs.OrderBy(l => Array.IndexOf(AfterPublication.Order, l.Key)))
            md.AppendLine($"| `{endpoint}` | {l.Count:N0} | {F(l.P50, "0")} | {F(l.P95, "0")} | {F(l.P99, "0")} | {F(l.Max, "0")} |");
        md.AppendLine();
        string Seconds(Latency? l) =>
            l is null ? "—" : $"p50 {F(l.P50 / 1000, "0.0")}, p95 {F(l.P95 / 1000, "0.0")}, max {F(l.Max / 1000, "0.0")}";
        md.AppendLine($"From a decision's 202 (s): to its public page showing the title revoked {Seconds(c.ShownMs)}; to the page " +
                      $"naming a signed list that shows it revoked {Seconds(c.SignedMs)}, the last " +
                      $"{F(c.SettledSeconds, "0.0")} s after the first decision was sent. Azurite requests by phase: " +
                      string.Join(", ", f.AzuriteRequestsByPhase.Select(p => $"{p.Key} {p.Value.Total:N0}")) +
                      $". {f.Errors} requests failed; the checks found {f.WrongCount} wrong" +
                      (f.Wrong.Count > 0 ? $" (first: {f.Wrong[0]})." : "."));
        md.AppendLine();
    }

    static void AppendWaitingReads(StringBuilder md, WorkloadGRecord g)
    {
        static string F(double x, string format) => x.ToString(format, CultureInfo.InvariantCulture);
        StatisticsAndExportsRecord r = g.Reports;
        md.AppendLine($"Work waiting (workload G), on B's campaign once its {g.Waiting:N0} self-assessments were in and every " +
                      "evaluation waited on its township reviewer (a phase left out of B's wall time): the inbox " +
                      $"(`GET /api/inbox`, the campaign's first page of 50) read {g.Inbox.Reads} times by branch secretaries, " +
                      $"township reviewers, county scorers and the city's organization department, {g.Inbox.Clients} at a time; " +
                      $"the statistics {r.StatisticsMs.Count} times over the city and its counties, {r.Clients} at a time; the " +
                      $"city's evaluations exported as XLSX {r.XlsxSeconds.Length} times and as CSV once. Latency in ms:");
        md.AppendLine();
        md.AppendLine("| read | requests | p50 | p95 | p99 | max | items a read |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (InboxRoleReads role in g.Inbox.ByRole)
            md.AppendLine($"| inbox, {role.Role} | {role.Reads:N0} | {F(role.Latency.P50, "0")} | {F(role.Latency.P95, "0")} | " +
                          $"{F(role.Latency.P99, "0")} | {F(role.Latency.Max, "0")} | {F(role.MeanItems, "0.#")} |");
        Latency st = r.StatisticsMs;
        md.AppendLine($"| statistics | {st.Count:N0} | {F(st.P50, "0")} | {F(st.P95, "0")} | {F(st.P99, "0")} | {F(st.Max, "0")} | |");
        md.AppendLine();
        md.AppendLine($"The first statistics request, which computes them for the cache, took {F(r.FirstStatisticsMs, "0")} ms; the " +
                      $"XLSX exports {string.Join(", ", r.XlsxSeconds.Select(x => F(x, "0.00") + " s"))} to the last byte " +
                      $"({F(r.XlsxBytes / 1024.0, "0")} KiB, {r.XlsxRows:N0} rows), the CSV {F(r.CsvSeconds, "0.00")} s " +
                      $"({F(r.CsvBytes / 1024.0, "0")} KiB). Azurite requests: {g.AzuriteRequests.Total:N0}. " +
                      (r.Problems.Count == 0 ? "Nothing found wrong." : "Found wrong: " + string.Join("; ", r.Problems) + "."));
        md.AppendLine();
    }

    static void AppendOpenLoop(StringBuilder md, WorkloadDRecord d)
    {
        static string F(double x, string format) => x.ToString(format, CultureInfo.InvariantCulture);
        PublishedList list = d.PublishedList;
        md.AppendLine($"Open loop (workload D): {d.Submissions:N0} self-assessments of `{d.CampaignId}` on a fixed schedule at " +
                      $"{F(d.RatePerSecond, "0.##")}/s ({F(d.ScheduleSeconds, "0.0")} s), while {d.Pollers} pollers each read the " +
                      $"campaign, its ratings and the published list of `{list.CampaignId}` ({list.Rows:N0} rows: {list.Source}) " +
                      $"every {F(d.PollIntervalSeconds, "0.#")} s. Latency from each request's scheduled send time to the end of its " +
                      "answer, in ms:");
        md.AppendLine();
        md.AppendLine("| endpoint | requests | p50 | p90 | p99 | max | errors | 409 as expected |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach ((string endpoint, OpenLoopEndpoint l) in d.LatencyMs.OrderBy(l => Array.IndexOf(Endpoints.Order, l.Key)))
        {
            string expected = endpoint == Endpoints.RatingsBeforeNotice
                ? l.ExpectedConflicts.ToString("N0", CultureInfo.InvariantCulture)
                : "—";
            md.AppendLine($"| `{endpoint}` | {l.Requests:N0} | {F(l.P50, "0")} | {F(l.P90, "0")} | {F(l.P99, "0")} | {F(l.Max, "0")} | " +
                          $"{l.Errors:N0} | {expected} |");
        }
        md.AppendLine();
        if (d.SubmissionWindows.Count > 1)
        {
            md.AppendLine($"Self-assessments by {F(OpenLoop.Window.TotalSeconds, "0")} s of the schedule, from when they were due " +
                          "(p50 / p99 ms): " +
                          string.Join(", ", d.SubmissionWindows.Select(w => $"{F(w.FromSeconds, "0")} s {F(w.P50, "0")} / {F(w.P99, "0")}"))
                          + ".");
            md.AppendLine();
        }
        string lag = d.SendLagMs is { } s
            ? $"the client sent each request at most {F(s.Max, "0.0")} ms after its time (p99 {F(s.P99, "0.0")} ms), "
            : "";
        md.AppendLine($"Submissions sent at {F(d.SentPerSecond ?? 0, "0.00")}/s and accepted at {F(d.AcceptedPerSecond ?? 0, "0.00")}/s " +
                      $"({d.Accepted:N0} of {d.Submissions:N0}); {lag}with at most {d.MaxInFlight} requests in flight on {d.Connections} " +
                      "connections. The workflows had taken in " +
                      $"every accepted submission {F(d.TakenInSeconds, "0.0")} s after the schedule ended. In the open loop: " +
                      $"{F(d.AzuriteRequestsPerSubmission, "0.0")} Azurite requests per submission (the polls' included); CPU s " +
                      string.Join(", ", d.CpuSeconds.Select(c => $"{c.Key} {F(c.Value, "0.0")}")) +
                      (d.HostPeakRssMiB is { } rss ? $"; host peak RSS {F(rss, "0")} MiB." : "."));
        md.AppendLine();
        if (d.Probes is { Count: > 0 } probes)
        {
            md.AppendLine($"Beside it, a probe every {F(StallProbe.Interval.TotalMilliseconds, "0")} ms of the host " +
                          "(an anonymous schema, no storage) and of Azurite's table and queue services directly (ms; stalls over " +
                          $"{F(StallProbe.StallMs, "0")} ms at seconds from the start): " +
                          string.Join("; ", probes.Select(p =>
                              $"{p.Key} p50 {F(p.Value.Latency.P50, "0")}, p99 {F(p.Value.Latency.P99, "0")}, " +
                              $"max {F(p.Value.Latency.Max, "0")}" + (p.Value.Stalls.Count == 0 ? ", no stall" :
                              $", {p.Value.Stalls.Count} stalls (" +
                              string.Join(", ", p.Value.Stalls.Take(8).Select(s => $"{F(s[0], "0.0")} s: {F(s[1], "0")}")) + ")"))) + ".");
            md.AppendLine();
        }
    }

    static string Step(List<PhaseTime> phases, Dictionary<string, double> requests, string[] names)
    {
        if (names.Length == 0) return "—";
        double seconds = phases.Where(p => names.Contains(p.Name)).Sum(p => p.Seconds);
        double perEvaluation = names.Where(n => phases.Any(p => p.Name == n)).Sum(n => requests.GetValueOrDefault(n));
        return $"{seconds.ToString("0.0", CultureInfo.InvariantCulture)} s, " +
            $"{perEvaluation.ToString("0.0", CultureInfo.InvariantCulture)} req";
    }

    static string PerEval(PhaseCount c, int n) =>
        string.Join(" / ", CountingProxy.Services.Select(
            s => (c.PerService.GetValueOrDefault(s) / (double)n).ToString("0.0", CultureInfo.InvariantCulture)));

    /// <summary>"name seconds, …"; a run stopped by its time limit stopped in its last phase, which is marked so.</summary>
    static string Phases(List<PhaseTime> phases, bool stoppedInLast = false) => string.Join(", ", phases.Select((p, i) =>
        $"{p.Name}{(stoppedInLast && i == phases.Count - 1 ? " (stopped)" : "")} " +
        $"{p.Seconds.ToString("0.0", CultureInfo.InvariantCulture)}"));

    /// <summary>Replaces the generated section of <paramref name="path"/>, or appends it when the markers are missing.</summary>
    public void WriteInto(string path)
    {
        string text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n";
        int begin = text.IndexOf(BeginMarker, StringComparison.Ordinal), end = text.IndexOf(EndMarker, StringComparison.Ordinal);
        string section = ToMarkdown().TrimEnd('\n');
        text = begin >= 0 && end > begin
            ? text[..begin] + section + text[(end + EndMarker.Length)..]
            : text.TrimEnd('\n') + "\n\n" + section + "\n";
        File.WriteAllText(path, text);
    }
}

/// <summary>The endpoint names latencies are recorded under, in the order of a campaign.</summary>
public static class Endpoints
{
    public const string Units = "PUT /api/units";
    public const string CreateCampaign = "POST /api/campaigns";
    public const string Start = "POST …/start";
    public const string Campaign = "GET /api/campaigns/{cid}";
    public const string SelfAssessment = "POST …/self-assessment";
    public const string Roster = "PUT …/appraisal/roster";
    public const string Ballot = "POST …/appraisal/ballots";
    public const string TownshipReview = "POST …/township-review";
    public const string CountyScore = "POST …/county-score";
    public const string Publication = "POST …/publication";
    public const string Ratings = "GET …/ratings";
    /// <summary>Workload D's reads of its own campaign's ratings, which answer 409 until the notice.</summary>
    public const string RatingsBeforeNotice = "GET …/ratings (before the notice: 409)";
    /// <summary>Workload D's reads of a published list.</summary>
    public const string RatingsPublished = "GET …/ratings (published list)";

    public static readonly string[] Order =
    [
        Units, CreateCampaign, Start, SelfAssessment, Roster, Ballot, TownshipReview, CountyScore, Publication, Campaign, Ratings,
        RatingsBeforeNotice, RatingsPublished,
    ];
}
