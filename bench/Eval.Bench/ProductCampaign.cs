using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Eval.Api.Auth;
using Eval.LocalHost.Cli;
using Eval.Workflows.Domain;

namespace Eval.Bench;

/// <summary>
/// Workload B: one city-wide campaign over the Chifeng branches, through the HTTP API of the local host as its users
/// would drive it, <c>clients</c> requests at a time: start, every self-assessment, every township approval, every
/// county score, publication, the public notice, published. The campaign is the city's: the Chifeng structured rubric
/// and the top level's places handed to each county (<see cref="Levels"/>); the approvals and scores carry deductions,
/// bonuses and flags by branch index (<see cref="BranchSteps"/>). Every Ratings row is then checked against the
/// scoring rules computed here (<see cref="ExpectedRatings"/>). Each request's latency is recorded per endpoint.
/// With a <c>timeLimit</c> the campaign is given up that long after its start, and the result says how far it got.
/// Workload D drives its own campaigns with it too (<paramref name="campaignId"/> over <paramref name="unit"/>, logged under
/// <paramref name="workload"/>), and workload E its campaign whose rubric asks for files (<paramref name="rubric"/>).
/// With <paramref name="membersAppraisal"/> (workload B) the campaign holds the members' appraisal (民主测评): once every
/// self-assessment is in, each secretary sets the roster and the members cast their ballots, before the township review.
/// </summary>
public sealed class ProductCampaign(Uri baseAddress, int clients, TimeSpan? timeLimit, Action<string> log,
    string campaignId = ProductCampaign.CampaignId, string unit = ProductCampaign.City, string workload = "B", Rubric? rubric = null,
    bool membersAppraisal = false)
{
    public const string CampaignId = "bench-2026";
    public const string City = "chifeng";
    static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    /// <summary>How often the ratings are read while the list is proposed: the proposal's time to a tenth of a second.</summary>
    static readonly TimeSpan ProposalPollInterval = TimeSpan.FromMilliseconds(100);
    /// <summary>Without a time limit, a wait for one step that takes longer than this means the run is broken.</summary>
    static readonly TimeSpan StepLimit = TimeSpan.FromMinutes(60);
    static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(12);

    readonly HttpClient http = new(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5), UseProxy = false })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(120),
    };
    readonly ConcurrentDictionary<string, ConcurrentBag<double>> latencies = new();
    static readonly AuthOptions Auth = new() { SigningKey = HostProcess.SigningKey };
    int requests, retries;
    long bodyBytes;
    DateTime giveUpAt = DateTime.MaxValue;

    public int Requests => requests;
    public int Retries => retries;
    /// <summary>
    /// The processes whose CPU the ballot phase is measured on, and their names (the host first); none: not measured.
    /// </summary>
    public (int[] Pids, string[] Names) BallotCpu { get; init; } = ([], []);

    /// <summary>Told the moment this client sees the campaign published (workload F starts watching its signed list then).</summary>
    public Action? OnPublished { get; init; }

    /// <summary>
    /// Reads measured while the campaign waits on its township reviewers (workload G: the inbox, statistics and exports),
    /// given the campaign's id: every self-assessment is in and the workflows wait, so the reads have the engine to
    /// themselves. Their phase, <see cref="WaitingReadsPhase"/>, is left out of the wall time, and the appraisal's window is
    /// <see cref="WaitingReadsAllowance"/> longer so that the ballots after them still fit in it.
    /// </summary>
    public Func<string, Task>? WhileWaiting { get; init; }

    /// <summary>
    /// Waits, before <see cref="WhileWaiting"/>, until the workflows have finished the episodes that followed their
    /// self-assessments (the storage requests fall to the host's idle rate), answering how long that took. The wait is
    /// the self-assessment's, so it counts in the wall time.
    /// </summary>
    public Func<Task<double>>? SettleBeforeReads { get; init; }

    public const string WaitingReadsPhase = "reads while waiting";
    public static readonly TimeSpan WaitingReadsAllowance = TimeSpan.FromSeconds(60);

    /// <summary>This campaign's appraisal window: <see cref="AppraisalWindow"/>, and room for the reads while waiting.</summary>
    string Window(int branches) =>
        AppraisalWindow(branches, WhileWaiting is null ? TimeSpan.Zero : WaitingReadsAllowance);

    /// <summary>The bytes of every request body sent to the host so far (retries included).</summary>
    public long BodyBytesSent => Interlocked.Read(ref bodyBytes);

    /// <summary>Milliseconds per endpoint (route template), every request that got an answer.</summary>
    public Dictionary<string, double[]> Latencies => latencies.ToDictionary(l => l.Key, l => l.Value.ToArray());

    /// <summary>
    /// The Chifeng tree cut down to <paramref name="branches"/> branches, taken round-robin over the townships so that
    /// every county and township keeps its share; parents stay before children.
    /// </summary>
    public static List<Unit> Units(int branches)
    {
        List<Unit> all = DemoData.ChifengUnits();
        var kept = all.Where(u => u.Kind == UnitKinds.Branch)
            .GroupBy(Parent)
            .SelectMany((township, t) => township.Select((b, i) => (b.Id, Order: (i, t))))
            .OrderBy(x => x.Order.i).ThenBy(x => x.Order.t)
            .Take(branches).Select(x => x.Id).ToHashSet(StringComparer.Ordinal);
        var parents = kept.Select(Parent).ToHashSet(StringComparer.Ordinal);
        parents.UnionWith(parents.Select(Parent).ToList());
        parents.Add(City);
        return all.Where(u => kept.Contains(u.Id) || parents.Contains(u.Id)).ToList();
    }

    static string Parent(Unit u) => Parent(u.Id);
    static string Parent(string id) => id[..Math.Max(0, id.LastIndexOf('.'))];
    static string County(string branch) => string.Join('.', branch.Split('.').Take(2));

    /// <summary>
    /// The top level asks for the innovation flag a county scorer sets (a gate): six branches in seven have it, so the
    /// strongest places still fill, and the gate decides for the rest.
    /// </summary>
    public const bool TopLevelNeedsInnovation = true;

    /// <summary>
    /// The Chifeng levels for a campaign over <paramref name="campaignUnit"/>: over the city, 最强党支部's share of 30% is
    /// of each county's ranked branches (⌊0.3 × n⌋ places per county); over a county (workload D's small campaign), of
    /// all its ranked branches.
    /// </summary>
    public static IReadOnlyList<Level> Levels(string campaignUnit)
    {
        Level top = ChifengCampaign.Levels[0];
        if (campaignUnit == City) top = top with { Allocation = new QuotaAllocation(UnitKinds.County) };
        if (TopLevelNeedsInnovation) top = top with { Gates = [new LevelGate(GateKinds.Flag) { Flag = "innovation" }] };
        return [top, .. ChifengCampaign.Levels.Skip(1)];
    }

    /// <summary>The group a branch's top-level places count in: its county in a campaign over the city, else one group.</summary>
    public static string PlacesGroup(string campaignUnit, string branch) => campaignUnit == City ? County(branch) : "";

    /// <summary>Everything before the measured campaign: the org tree and the campaign's definition; the campaign's branches.</summary>
    public Task<List<string>> PrepareAsync(int branches, string publicity) => PrepareAsync(Units(branches), publicity);

    /// <summary>Loads <paramref name="units"/> (an upsert: units loaded before stay) and defines the campaign over its unit.</summary>
    public async Task<List<string>> PrepareAsync(List<Unit> units, string publicity)
    {
        AuthenticationHeaderValue org = Token(Roles.OrgDepartment, City, "bench-org");
        foreach (Unit[] chunk in units.Chunk(500))
            await ExpectAsync(HttpStatusCode.OK, Endpoints.Units, HttpMethod.Put, "api/units", org, new { units = chunk }, null);
        List<string> ids = units.Where(u => u.Kind == UnitKinds.Branch && IsWithin(u.Id, unit)).Select(u => u.Id).ToList();
        await ExpectAsync(HttpStatusCode.Created, Endpoints.CreateCampaign, HttpMethod.Post, "api/campaigns", org,
            Campaign(publicity, ids.Count), $"{campaignId}-create");
        log($"{workload}: {units.Count} units loaded ({ids.Count} branches in {unit}), campaign {campaignId} created" +
            (membersAppraisal ? $" with the members' appraisal, a window of {Window(ids.Count)}" : ""));
        return ids;
    }

    /// <summary>
    /// The members' appraisal's window for a campaign of <paramref name="branches"/> branches, from each branch's
    /// self-assessment. Every phase goes through the branches in the same order, so the last branch, whose window opens
    /// last, casts its ballots last: its window must hold the roster and ballot phases, 15 ballots a branch, which at 230
    /// ballots a second or more (277 under other agents' load, before a ballot stopped reading the evaluation) is under
    /// 0.07 s a branch. A window too short fails the run (a late ballot is a 409); the closer it is to the ballots, the
    /// more boxes are counted while the ballots are still cast, when the workflows have nothing else to do, rather than
    /// during the township review and the county score, which compete for the same engine. So 0.07 s a branch (267 s for
    /// the city), at least a minute for a small run, whose first requests compile their code.
    /// </summary>
    public static string AppraisalWindow(int branches, TimeSpan extra = default) =>
        $"PT{Math.Max(60, (int)Math.Ceiling(branches * 0.07)) + (int)Math.Ceiling(extra.TotalSeconds)}S";

    static bool IsWithin(string id, string ancestor) => id == ancestor || id.StartsWith(ancestor + ".", StringComparison.Ordinal);

    /// <summary>
    /// The measured campaign, from the start request to the published list; then every Ratings row is checked.
    /// <paramref name="onPhase"/> is told the name of each phase as it begins (and "after" at the end).
    /// </summary>
    public async Task<ProductResult> RunAsync(List<string> branches, TableServiceClient tables, Action<string> onPhase)
    {
        int n = branches.Count;
        AuthenticationHeaderValue org = OrgToken;
        // Tokens are made before the clock starts: signing 3,810 of them is client work, not the product's.
        var secretaries = branches.ToDictionary(b => b, b => Token(Roles.BranchSecretary, b, null));
        var reviewers = branches.Select(Parent).Distinct().ToDictionary(t => t, t => Token(Roles.TownshipReviewer, t, null));
        var scorers = branches.Select(County).Distinct().ToDictionary(c => c, c => Token(Roles.CountyScorer, c, "scorer@" + c));
        // Each voter's own token (the first fifteen of the roster): 57,150 at 3,810 branches.
        var sign = Stopwatch.StartNew();
        AuthenticationHeaderValue[][] members = membersAppraisal
            ? [.. branches.Select(b => Enumerable.Range(0, BranchSteps.Members)
                .Select(m => Token(Roles.Member, b, BranchSteps.MemberId(m))).ToArray())]
            : [];
        if (membersAppraisal) log($"{workload}: {members.Sum(m => m.Length):N0} member tokens signed in {sign.Elapsed.TotalSeconds:F1} s");
        string campaign = $"api/campaigns/{campaignId}";
        BallotPhase? ballots = null;

        var clock = new PhaseClock(workload, "start", log, onPhase);
        if (timeLimit is { } limit) giveUpAt = DateTime.UtcNow + limit;
        try
        {
            return await PhasesAsync();
        }
        catch (TimeLimitReached stop)
        {
            clock.Stop();
            string phase = clock.Current;
            log($"{workload}: stopped by the time limit ({timeLimit!.Value.TotalMinutes:0.#} min) in {phase}; " +
                $"evaluations by stage: {string.Join(", ", stop.Stages.Select(s => $"{s.Key} {s.Value}"))}");
            return new ProductResult(n, clock.Elapsed.TotalSeconds, clock.Phases, new RatingCheck(0, n, [], []), Requests, Retries,
                new StoppedEarly(Math.Round(timeLimit.Value.TotalMinutes, 2), phase, stop.Stages));
        }

        async Task<ProductResult> PhasesAsync()
        {
            await StartAsync();
            clock.Next("start", "self-assessment");

            await ForEachAsync(branches, (b, i) => ExpectAsync(HttpStatusCode.Accepted, Endpoints.SelfAssessment, HttpMethod.Post,
                $"{campaign}/evaluations/{b}/self-assessment", secretaries[b], BranchSteps.SelfAssessment(i), "submit-" + b));
            await WaitStageAsync("awaiting-township-review", n);
            string waited = "self-assessment";
            if (WhileWaiting is { } reads)
            {
                if (SettleBeforeReads is { } settle) log($"{workload}: the workflows settled {await settle():0.0} s after the stage");
                clock.Next(waited, WaitingReadsPhase);
                await reads(campaignId);
                waited = WaitingReadsPhase;
            }
            if (membersAppraisal)
            {
                // Every appraisal window is open now: each workflow recorded its opening as it took the self-assessment.
                clock.Next(waited, "roster");
                await ForEachAsync(branches, (b, i) => ExpectAsync(HttpStatusCode.OK, Endpoints.Roster, HttpMethod.Put,
                    $"{campaign}/evaluations/{b}/appraisal/roster", secretaries[b], BranchSteps.Roster(i), null));
                clock.Next("roster", "ballots");
                ballots = await CastBallotsAsync(branches, members, campaign);
                clock.Next("ballots", "township review");
            }
            else clock.Next(waited, "township review");

            await ForEachAsync(branches, (b, i) => ExpectAsync(HttpStatusCode.Accepted, Endpoints.TownshipReview, HttpMethod.Post,
                $"{campaign}/evaluations/{b}/township-review", reviewers[Parent(b)], BranchSteps.TownshipReview(i), "review-" + b));
            await WaitStageAsync("awaiting-county-score", n);
            clock.Next("township review", "county score");

            await ForEachAsync(branches, (b, i) => ExpectAsync(HttpStatusCode.Accepted, Endpoints.CountyScore, HttpMethod.Post,
                $"{campaign}/evaluations/{b}/county-score", scorers[County(b)],
                BranchSteps.CountyScore(i), "score-" + b));
            await WaitStageAsync("done", n);
            clock.Next("county score", "publication to notice");

            await ExpectAsync(HttpStatusCode.Accepted, Endpoints.Publication, HttpMethod.Post, $"{campaign}/publication", org, new { },
                $"{campaignId}-publication");
            // From the 202 to the first answer in publicity, polled closely: the proposal step as a client sees it.
            var proposal = Stopwatch.StartNew();
            await WaitRatingsAsync("publicity", n, ProposalPollInterval);
            double proposalSeconds = proposal.Elapsed.TotalSeconds;
            log($"{workload}: the ratings list was in publicity {proposalSeconds:F2} s after the publication's 202");
            clock.Next("publication to notice", "notice to published");
            await WaitRatingsAsync("published", n, PollInterval);
            OnPublished?.Invoke();
            clock.Next("notice to published", "after");
            double wall = clock.Elapsed.TotalSeconds - clock.Phases.Where(p => p.Name == WaitingReadsPhase).Sum(p => p.Seconds);

            RatingCheck check = await CheckRatingsAsync(tables, branches);
            log($"{workload}: {check.Rows} Ratings rows read, {check.Mismatches.Count} mismatches");
            return new ProductResult(n, wall, clock.Phases, check, Requests, Retries, null)
            {
                ProposalSeconds = proposalSeconds, Appraisal = ballots,
            };
        }
    }

    /// <summary>
    /// The ballot phase: each branch's voters cast their ballots one after another (a member's own token, no
    /// Idempotency-Key), <c>clients</c> branches at a time; the CPU each process used is taken over this phase alone, and the
    /// host's over its second half too, once the ballot's code is compiled.
    /// </summary>
    async Task<BallotPhase> CastBallotsAsync(List<string> branches, AuthenticationHeaderValue[][] members, string campaign)
    {
        int total = members.Sum(m => m.Length), cast = 0;
        int hostPid = BallotCpu.Pids.FirstOrDefault();
        double? halfway = null;
        Cpu cpu = Cpu.Start(BallotCpu.Pids);
        var watch = Stopwatch.StartNew();
        await ForEachAsync(branches, async (b, i) =>
        {
            for (int m = 0; m < members[i].Length; m++)
            {
                await ExpectAsync(HttpStatusCode.Accepted, Endpoints.Ballot, HttpMethod.Post,
                    $"{campaign}/evaluations/{b}/appraisal/ballots", members[i][m], BranchSteps.Ballot(i, m), null);
                if (Interlocked.Increment(ref cast) == total / 2 && hostPid > 0) halfway = ProcessCpu.Seconds(hostPid);
            }
        });
        double seconds = watch.Elapsed.TotalSeconds;
        double? hostEnd = hostPid > 0 ? ProcessCpu.Seconds(hostPid) : null;
        Dictionary<string, double> cpuSeconds = cpu.Stop(BallotCpu.Names);
        double? secondHalf = halfway is { } mid && hostEnd is { } end && total >= 2 ? (end - mid) * 1000 / (total - total / 2) : null;
        var votes = branches.Select((_, i) => ExpectedRatings.Appraisal(BranchSteps.Vote(i))).ToList();
        var phase = new BallotPhase(Window(branches.Count), branches.Count, BranchSteps.Members, total, clients,
            Math.Round(seconds, 2), Math.Round(total / seconds, 1),
            cpuSeconds.ToDictionary(c => c.Key, c => Math.Round(c.Value * 1000 / total, 2)), cpuSeconds,
            secondHalf is { } h ? Math.Round(h, 2) : null, votes.Count(v => !v.Valid), votes.Count(v => v.Satisfaction < 0.6m));
        log($"{workload}: {total:N0} ballots in {seconds:F1} s = {phase.BallotsPerSecond:F1}/s; CPU ms per ballot " +
            string.Join(", ", phase.CpuMsPerBallot.Select(c => $"{c.Key} {c.Value:F2}")) +
            (secondHalf is { } sh ? $" (host {sh:F2} over the second half)" : ""));
        return phase;
    }

    /// <summary>
    /// Starts the campaign and waits until it takes actions (its <c>branchCount</c> is set: every evaluation has started).
    /// </summary>
    public async Task StartAsync()
    {
        await ExpectAsync(HttpStatusCode.Accepted, Endpoints.Start, HttpMethod.Post, $"api/campaigns/{campaignId}/start", OrgToken, new { },
            $"{campaignId}-start");
        await WaitCampaignAsync(OrgToken, c => c.GetProperty("branchCount").ValueKind == JsonValueKind.Number, "the evaluations to start");
    }

    AuthenticationHeaderValue OrgToken => Token(Roles.OrgDepartment, City, "bench-org");

    // The Chifeng campaign's rubric and levels (Levels); deadlines hours away (never reached here), the notice a few seconds;
    // B's with the Chifeng members' appraisal (basic 0.7, appraisal 0.3, the gate at 60%), its window sized for the run.
    JsonObject Campaign(string publicity, int branches)
    {
        CampaignDefinition definition = ChifengCampaign.Definition(campaignId, unit,
            campaignId == CampaignId
                ? "赤峰市2026年度最强党支部评定（基准测试）"
                : $"最强党支部评定（基准测试 {workload}，{campaignId}）")
            with
            {
                Schedule = new Schedule("PT6H", "PT6H", "PT6H", publicity), Rubric = rubric ?? ChifengCampaign.Rubric,
                Levels = Levels(unit),
            };
        if (membersAppraisal) definition = definition.WithAppraisal(ChifengCampaign.Appraisal with { Window = Window(branches) });
        return definition.RequestBody();
    }

    async Task<RatingCheck> CheckRatingsAsync(TableServiceClient tables, List<string> branches)
    {
        var expected = ExpectedRatings.Compute(
                branches.Select((b, i) => BranchSteps.Scored(b, i, PlacesGroup(unit, b), membersAppraisal)).ToList(),
                TopLevelNeedsInnovation)
            .ToDictionary(e => e.BranchId, StringComparer.Ordinal);
        var mismatches = new List<string>();
        int rows = 0;
        var levels = new SortedDictionary<string, int>(StringComparer.Ordinal);
        string partition = TableClient.CreateQueryFilter($"PartitionKey eq {campaignId}");
        await foreach (TableEntity row in tables.GetTableClient("Ratings").QueryAsync<TableEntity>(partition))
        {
            rows++;
            string level = row.GetString("Level") ?? "";
            levels[level] = levels.GetValueOrDefault(level) + 1;
            if (!expected.Remove(row.RowKey, out ExpectedRating? e))
            {
                mismatches.Add($"{row.RowKey}: a row for no scored branch");
                continue;
            }
            var problems = new List<string>();
            if (Math.Abs((row.GetDouble("Score") ?? double.NaN) - (double)e.Score) > 1e-6)
                problems.Add($"score {row.GetDouble("Score")} ≠ {e.Score}");
            if (Math.Abs((row.GetDouble("UnityShare") ?? double.NaN) - (double)e.UnityShare) > 1e-6)
                problems.Add($"unity share {row.GetDouble("UnityShare")} ≠ {e.UnityShare}");
            if (row.GetInt32("Rank") != e.Rank) problems.Add($"rank {row.GetInt32("Rank")} ≠ {e.Rank}");
            if (level != e.Level) problems.Add($"level {level} ≠ {e.Level}");
            if (string.IsNullOrEmpty(row.GetString("BranchName"))) problems.Add("no branch name");
            if (row.GetDateTimeOffset("PublishedAt") is null) problems.Add("no PublishedAt");
            if (problems.Count > 0) mismatches.Add($"{row.RowKey}: {string.Join(", ", problems)}");
        }
        mismatches.AddRange(expected.Keys.Order(StringComparer.Ordinal).Select(b => $"{b}: no Ratings row"));
        return new RatingCheck(rows, branches.Count, mismatches, levels.ToDictionary(l => l.Key, l => l.Value));
    }

    public Task ForEachAsync(List<string> branches, Func<string, int, Task> action) =>
        Parallel.ForEachAsync(Enumerable.Range(0, branches.Count), new ParallelOptions { MaxDegreeOfParallelism = clients },
            async (i, _) => await action(branches[i], i));

    /// <summary>
    /// Waits until at least <paramref name="count"/> of the campaign's evaluations are at <paramref name="stage"/> (at least:
    /// an open-loop request that got no answer may have been taken in all the same).
    /// </summary>
    public async Task WaitStageAsync(string stage, int count) =>
        await WaitCampaignAsync(OrgToken, c => c.GetProperty("evaluations").GetProperty("stages").GetProperty(stage).GetInt32() >= count,
            $"{count} {stage}");

    async Task WaitCampaignAsync(AuthenticationHeaderValue org, Func<JsonElement, bool> done, string what)
    {
        var until = DateTime.UtcNow + StepLimit;
        while (true)
        {
            JsonElement c = await ExpectAsync(HttpStatusCode.OK, Endpoints.Campaign, HttpMethod.Get, $"api/campaigns/{campaignId}", org,
                null, null);
            if (done(c)) return;
            if (DateTime.UtcNow > giveUpAt) throw new TimeLimitReached(StagesOf(c));
            if (DateTime.UtcNow > until) throw new TimeoutException($"Workload {workload} gave up waiting for {what}; the campaign: {c}");
            await Task.Delay(PollInterval);
        }
    }

    /// <summary>The campaign's count of evaluations at each stage ("done" included), from its GET answer.</summary>
    static Dictionary<string, int> StagesOf(JsonElement campaign) =>
        campaign.TryGetProperty("evaluations", out JsonElement e) && e.TryGetProperty("stages", out JsonElement stages)
            ? stages.EnumerateObject().ToDictionary(s => s.Name, s => s.Value.GetInt32())
            : [];

    /// <summary>The time limit passed while the campaign was still under way.</summary>
    sealed class TimeLimitReached(Dictionary<string, int> stages) : Exception("the time limit of workload B was reached")
    {
        public Dictionary<string, int> Stages { get; } = stages;
    }

    /// <summary>
    /// Waits for the published list to reach <paramref name="status"/>; by then all <paramref name="evaluations"/> are done.
    /// </summary>
    async Task WaitRatingsAsync(string status, int evaluations, TimeSpan pollInterval)
    {
        var until = DateTime.UtcNow + StepLimit;
        while (true)
        {
            var (code, body) = await SendAsync(Endpoints.Ratings, HttpMethod.Get, $"api/campaigns/{campaignId}/ratings", null, null, null);
            if (code == HttpStatusCode.OK && body.GetProperty("status").GetString() == status) return;
            if (code is not (HttpStatusCode.OK or HttpStatusCode.Conflict))
                throw new InvalidOperationException($"GET ratings answered {(int)code}: {body}");
            if (DateTime.UtcNow > giveUpAt) throw new TimeLimitReached(new() { ["done"] = evaluations });
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"Workload {workload} gave up waiting for the ratings to be {status}: {body}");
            await Task.Delay(pollInterval);
        }
    }

    /// <summary>One request (retried as <see cref="SendAsync"/> says) that must be answered <paramref name="expected"/>.</summary>
    public async Task<JsonElement> ExpectAsync(HttpStatusCode expected, string endpoint, HttpMethod method, string path,
        AuthenticationHeaderValue token, object? body, string? idempotencyKey)
    {
        var (code, json) = await SendAsync(endpoint, method, path, token, body, idempotencyKey);
        return code == expected
            ? json
            : throw new InvalidOperationException($"{method} {path} answered {(int)code}, expected {(int)expected}: {json}");
    }

    /// <summary>One request; a connection error, a time-out or a 5xx is retried with the same Idempotency-Key (and counted).</summary>
    async Task<(HttpStatusCode, JsonElement)> SendAsync(string endpoint, HttpMethod method, string path,
        AuthenticationHeaderValue? token, object? body, string? idempotencyKey)
    {
        for (int attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = token;
            if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
            if (body is not null)
            {
                byte[] json = JsonSerializer.SerializeToUtf8Bytes(body, JsonSerializerOptions.Web);
                request.Content = new ByteArrayContent(json) { Headers = { ContentType = new("application/json") { CharSet = "utf-8" } } };
                Interlocked.Add(ref bodyBytes, json.Length);
            }
            Interlocked.Increment(ref requests);
            long started = Stopwatch.GetTimestamp();
            try
            {
                using HttpResponseMessage response = await http.SendAsync(request);
                string text = await response.Content.ReadAsStringAsync();
                latencies.GetOrAdd(endpoint, _ => []).Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if ((int)response.StatusCode >= 500 && attempt < 5) { await BackOffAsync(attempt); continue; }
                return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && attempt < 5)
            {
                log($"{workload}: {method} {path} failed ({e.GetType().Name}: {e.Message}); retrying");
                await BackOffAsync(attempt);
            }
        }
    }

    async Task BackOffAsync(int attempt)
    {
        Interlocked.Increment(ref retries);
        await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
    }

    /// <summary>A development token the bench's host accepts, for one role at one unit.</summary>
    public static AuthenticationHeaderValue Token(string role, string unit, string? sub) =>
        new("Bearer", DevTokens.Create(Auth, sub ?? $"{role}@{unit}", sub ?? role, [role], unit, TokenLifetime));
}

public sealed record RatingCheck(int Rows, int Expected, List<string> Mismatches, Dictionary<string, int> Levels);

/// <summary>
/// Where a campaign stood when workload B's time limit stopped it: the limit, the phase under way, and its evaluations
/// by stage (the campaign's own count).
/// </summary>
public sealed record StoppedEarly(double LimitMinutes, string Phase, Dictionary<string, int> Stages)
{
    public int Done => Stages.GetValueOrDefault("done");
}

/// <summary>
/// A campaign's run; <see cref="Stopped"/> is set when the time limit ended it before publication.
/// <see cref="ProposalSeconds"/>: from the publication's 202 to the first ratings answer in publicity (none when stopped).
/// </summary>
public sealed record ProductResult(int Branches, double WallSeconds, List<PhaseTime> Phases, RatingCheck Ratings, int Requests, int Retries,
    StoppedEarly? Stopped)
{
    public double? ProposalSeconds { get; init; }

    /// <summary>The members' appraisal's rosters and ballot phase, where the campaign held one.</summary>
    public BallotPhase? Appraisal { get; init; }

    /// <summary>Evaluations finished per second: all of them for a whole run, the ones done by then for a stopped one.</summary>
    public double EvaluationsPerSecond => (Stopped?.Done ?? Branches) / WallSeconds;
}
