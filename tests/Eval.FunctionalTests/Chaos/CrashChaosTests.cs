using System.Diagnostics;
using System.Text.Json;
using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;
using Xunit.Abstractions;

namespace Eval.FunctionalTests.Chaos;

/// <summary>
/// The crash chaos suite (`./eval chaos`, not part of `./eval test`: it runs for minutes). The same campaign runs
/// twice on one Azurite: once undisturbed, once while the host is SIGKILLed and restarted on the same data, ports and
/// worker id. The kills are shared out over the campaign's stages and come at random points of each stage's writes
/// (<see cref="KillSchedule"/>), so their number does not depend on how fast the campaign runs. Both runs end
/// published; the chaos run must have lost nothing, decided nothing twice, and reached the same outcome, score and
/// rank for every branch.
/// Settings: EVAL_CHAOS_BRANCHES (310), EVAL_CHAOS_KILLS (10), EVAL_CHAOS_SEED, EVAL_CHAOS_REPORT (JSON path).
/// </summary>
[Trait("Category", "Chaos")]
public sealed class CrashChaosTests(ITestOutputHelper output)
{
    static int Setting(string name, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(name), out int v) ? v : fallback;

    [Fact]
    public async Task A_campaign_of_300_branches_survives_repeated_SIGKILLs_with_nothing_lost()
    {
        int branches = Setting("EVAL_CHAOS_BRANCHES", 310), plannedKills = Setting("EVAL_CHAOS_KILLS", 10);
        int seed = Setting("EVAL_CHAOS_SEED", Environment.TickCount & 0xffff);
        string storage = AzuriteInstance.Shared.ConnectionString;
        void Log(string line) { output.WriteLine(line); Console.WriteLine($"[chaos {DateTime.UtcNow:HH:mm:ss}] {line}"); }
        Dictionary<string, int> plan = KillSchedule.Spread(plannedKills, ChaosCampaign.Stages);
        Log($"seed {seed}, {branches} branches, {plannedKills} kills ({string.Join(", ", plan.Select(p => $"{p.Value} in {p.Key}"))})");

        RunResult calm = await RunAsync("calm", storage, branches, kills: null, Log);
        RunResult chaos = await RunAsync("chaos", storage, branches, kills: (plannedKills, new Random(seed)), Log);

        // 1. Every request that got a 2xx is in storage, once: each accepted action is in the branch's history as
        //    many times as it was accepted (so none lost and none applied twice).
        int lost = 0, doubled = 0;
        var problems = new List<string>();
        foreach (var group in chaos.Accepted.Where(a => a.Branch != "").GroupBy(a => (a.Branch, a.Action)))
        {
            int inHistory = group.Key.Action.StartsWith("objection-", StringComparison.Ordinal)
                ? chaos.CampaignAudit.Count(a => a.Action == group.Key.Action
                    && a.Detail.Contains(group.Key.Branch, StringComparison.Ordinal))
                : chaos.Evaluations[group.Key.Branch].History.Count(h => h == group.Key.Action);
            if (inHistory < group.Count())
            {
                lost += group.Count() - inHistory;
                problems.Add($"{group.Key}: accepted {group.Count()}, stored {inHistory}");
            }
            if (inHistory > group.Count())
            {
                doubled += inHistory - group.Count();
                problems.Add($"{group.Key}: accepted {group.Count()}, stored {inHistory}");
            }
        }

        // 2. Same outcome, score, unity share, history, rank and level as the undisturbed run, for every branch.
        var differing = new HashSet<string>();
        void Differs(string branch, string what) { differing.Add(branch); problems.Add($"{branch}: {what}"); }
        foreach ((string branch, EvaluationRow calmRow) in calm.Evaluations)
        {
            if (!chaos.Evaluations.TryGetValue(branch, out EvaluationRow? chaosRow))
            {
                Differs(branch, "no evaluation in the chaos run");
                continue;
            }
            string calmResult = $"{calmRow.Outcome}/{calmRow.FinalScore}/{calmRow.UnityShare}";
            string chaosResult = $"{chaosRow.Outcome}/{chaosRow.FinalScore}/{chaosRow.UnityShare}";
            if (calmResult != chaosResult) Differs(branch, $"calm {calmResult}, chaos {chaosResult}");
            if (!calmRow.History.SequenceEqual(chaosRow.History))
                Differs(branch, $"history calm [{string.Join(",", calmRow.History)}], chaos [{string.Join(",", chaosRow.History)}]");
        }
        foreach (string branch in calm.Ratings.Keys.Union(chaos.Ratings.Keys))
        {
            string? calmRating = calm.Ratings.GetValueOrDefault(branch), chaosRating = chaos.Ratings.GetValueOrDefault(branch);
            if (calmRating != chaosRating) Differs(branch, $"rating calm {calmRating ?? "missing"}, chaos {chaosRating ?? "missing"}");
        }

        // 3. No orchestration left failed or running.
        problems.AddRange(chaos.Instances.Where(i => i.Value != "Completed").Select(i => $"instance {i.Key} is {i.Value}"));
        if (!chaos.AuditIntact) problems.Add("the audit chains do not verify");

        var report = new
        {
            seed, branches, kills = chaos.Kills, plannedKills,
            killsByStage = ChaosCampaign.Stages.ToDictionary(s => s, s => chaos.KillPoints.Count(k => k.Stage == s)),
            // Each kill: its stage, the write it came at of the stage's writes, and the requests in flight then.
            killPoints = chaos.KillPoints.Select(k => $"{k.Stage} {k.AtWrite + 1}/{k.StageWrites}, {k.InFlight} in flight"),
            requests = chaos.Requests, retries = chaos.Retries, accepted = chaos.Accepted.Count, lost, doubled, differing = differing.Count,
            duplicateStartsDropped = chaos.DuplicateStartsDropped,
            orchestrations = chaos.Instances.Count, completed = chaos.Instances.Count(i => i.Value == "Completed"),
            auditIntact = chaos.AuditIntact, ratings = chaos.Ratings.Count, problems = problems.Count,
            calmSeconds = Math.Round(calm.Elapsed.TotalSeconds, 1), chaosSeconds = Math.Round(chaos.Elapsed.TotalSeconds, 1),
            calmRequests = calm.Requests,
            finishedAt = DateTimeOffset.UtcNow,
        };
        string json = JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true });
        string path = Environment.GetEnvironmentVariable("EVAL_CHAOS_REPORT") is { Length: > 0 } p
            ? p
            : Path.Combine(Repo.Root, ".eval", "chaos-report.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, json);
        Log($"kills {chaos.Kills}, requests {chaos.Requests}, retries {chaos.Retries}, accepted {chaos.Accepted.Count}: " +
            $"lost {lost}, doubled {doubled}, differing {differing.Count}, orchestrations completed {report.completed} " +
            $"of {chaos.Instances.Count}, problems {problems.Count} (report: {path})");

        Assert.True(problems.Count == 0, $"{problems.Count} problems:\n{string.Join("\n", problems.Take(50))}");
        Assert.Equal(0, lost);
        Assert.True(chaos.Kills >= plannedKills, $"only {chaos.Kills} of the {plannedKills} planned kills happened.");
    }

    sealed record EvaluationRow(string Outcome, double? FinalScore, double? UnityShare, List<string> History);

    sealed record RunResult(int Kills, IReadOnlyList<(string Stage, int AtWrite, int StageWrites, int InFlight)> KillPoints,
        int Requests, int Retries, IReadOnlyCollection<(string Branch, string Action)> Accepted,
        Dictionary<string, EvaluationRow> Evaluations, Dictionary<string, string> Ratings, Dictionary<string, string> Instances,
        List<(string Action, string Detail)> CampaignAudit, bool AuditIntact, int DuplicateStartsDropped, TimeSpan Elapsed);

    /// <summary>
    /// One run on its own task hub and table prefix; with <paramref name="kills"/>, the host is killed that many times
    /// over the campaign's stages. Every host process it started is stopped when it returns or throws.
    /// </summary>
    static async Task<RunResult> RunAsync(string name, string storage, int branches, (int Count, Random Random)? kills, Action<string> log)
    {
        string hub = LocalHostProcess.NewHubName(), prefix = name + Guid.NewGuid().ToString("N")[..6];
        var settings = new Dictionary<string, string> { ["Storage__TablePrefix"] = prefix };
        void Log(string line) => log($"{name}: {line}");
        var watch = Stopwatch.StartNew();
        await using ChaosHost host = await ChaosHost.StartAsync(storage, hub, settings);
        using var abort = new CancellationTokenSource();
        using var api = new RetryingApi(host.BaseAddress, abort.Token);
        KillSchedule? schedule = kills is { } k ? new KillSchedule(host, () => api.InFlight, k.Count, k.Random, Log, abort) : null;
        api.BeforeWrite = schedule is null ? null : schedule.BeforeWrite;
        var campaign = new ChaosCampaign(api, branches, schedule ?? (IStageGate)new OpenGate(), Log);

        try
        {
            await campaign.RunAsync();
        }
        catch (Exception e)
        {
            Exception? killFailure = schedule is null ? null : await schedule.StopAsync();
            throw new Xunit.Sdk.XunitException($"{name} run failed after {host.Kills} kills: {killFailure ?? e}\n" +
                $"--- host output (last) ---\n{Tail(host.LastOutput)}");
        }
        TimeSpan elapsed = watch.Elapsed;

        // Let the last orchestrations write their completion, then read everything back from storage.
        var tables = new TableServiceClient(storage);
        var instances = new Dictionary<string, string>();
        await Poll.UntilAsync(async () =>
        {
            instances.Clear();
            await foreach (TableEntity row in tables.GetTableClient(hub + "Instances").QueryAsync<TableEntity>(
                select: ["PartitionKey", "RuntimeStatus"]))
                instances[row.PartitionKey] = row.GetString("RuntimeStatus") ?? "";
            // One per branch, the campaign's, and its outbox sweep's (which ends once the campaign stops running evaluations).
            return instances.Count == branches + 2 && instances.Values.All(s => s == "Completed") ? "ok" : null;
        }, TimeSpan.FromMinutes(2), $"{name}: every orchestration to complete",
            () => string.Join("\n", instances.Where(i => i.Value != "Completed").Take(20)));

        var evaluations = new Dictionary<string, EvaluationRow>();
        await foreach (TableEntity e in tables.GetTableClient(prefix + "Evaluations").QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {ChaosCampaign.CampaignId}")))
        {
            List<HistoryEntry> history = JsonSerializer.Deserialize<List<HistoryEntry>>(TableTextRead(e, "History"), Json)!;
            evaluations[e.RowKey] = new EvaluationRow(e.GetString("Outcome") ?? "", e.GetDouble("FinalScore"), e.GetDouble("UnityShare"),
                history.Select(h => h.Action).ToList());
        }
        var ratings = new Dictionary<string, string>();
        await foreach (TableEntity r in tables.GetTableClient(prefix + "Ratings").QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {ChaosCampaign.CampaignId}")))
            ratings[r.RowKey] = $"{r.GetDouble("Score")}/{r.GetDouble("UnityShare")}/{r.GetInt32("Rank")}/{r.GetString("Level")}";
        var audit = new List<(string, string)>();
        string chain = AuditEntry.CampaignChain;
        await foreach (TableEntity a in tables.GetTableClient(prefix + "Audit").QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter(
                $"PartitionKey eq {ChaosCampaign.CampaignId} and RowKey ge {chain + "|"} and RowKey lt {chain + "}"}")))
        {
            JsonElement entry = JsonDocument.Parse(a.GetString("Entry")!).RootElement;
            audit.Add((entry.GetProperty("action").GetString() ?? "",
                entry.TryGetProperty("detail", out JsonElement d) ? d.GetString() ?? "" : ""));
        }

        RetryingApi.Answer verify = await api.GetAsync(
            RetryingApi.Token(Eval.Workflows.Domain.Roles.OrgDepartment, ChaosCampaign.County),
            $"api/campaigns/{ChaosCampaign.CampaignId}/audit/verify");
        bool intact = verify.Status == System.Net.HttpStatusCode.OK && verify.Body.GetProperty("intact").GetBoolean();
        int dropped = host.Outputs.Sum(o => o.Split('\n').Count(l => l.Contains("redelivered start message", StringComparison.Ordinal)));
        Log($"done in {elapsed.TotalSeconds:F0} s, {host.Kills} kills, {api.Requests} requests, {api.Retries} retries");
        return new RunResult(host.Kills, schedule?.Done ?? [], api.Requests, api.Retries, campaign.Accepted.ToList(),
            evaluations, ratings, instances, audit, intact, dropped, elapsed);
    }

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    static string TableTextRead(TableEntity e, string name) => Eval.Workflows.Storage.TableText.Read(e, name) ?? "[]";

    static string Tail(string text) => text.Length > 6000 ? text[^6000..] : text;
}
