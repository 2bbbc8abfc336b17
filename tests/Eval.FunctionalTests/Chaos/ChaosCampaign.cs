using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;
using Eval.LocalHost.Cli;

namespace Eval.FunctionalTests.Chaos;

/// <summary>
/// Told where each stage of the campaign begins and where its writes end; the campaign goes on once
/// <see cref="EndAsync"/> returns.
/// </summary>
public interface IStageGate
{
    /// <summary>A stage begins; it sends about <paramref name="writes"/> POSTs and PUTs.</summary>
    void Begin(string stage, int writes);

    /// <summary>Every write of the stage got its answer (its workflows may still be taking them in).</summary>
    Task EndAsync();
}

/// <summary>The gate of the undisturbed run: nothing happens inside a stage but the campaign.</summary>
public sealed class OpenGate : IStageGate
{
    public void Begin(string stage, int writes) { }
    public Task EndAsync() => Task.CompletedTask;
}

/// <summary>
/// One campaign driven through the HTTP API by <see cref="RetryingApi"/>, with inputs fixed by the branch's index:
/// every run with the same size makes the same requests, so two runs can be compared row by row.
/// Records every request that got a 2xx, to check later that storage reflects each one.
/// </summary>
public sealed class ChaosCampaign(RetryingApi api, int branches, IStageGate gate, Action<string> log)
{
    public const string County = "chifeng.chaos";
    public const string CampaignId = "chaos-2026";
    const int Parallel = 32;
    // PUT /api/units takes at most this many units (workflows/Schemas/Json/units.schema.json).
    const int UnitsPerRequest = 500;

    /// <summary>The stages, in order, that <see cref="RunAsync"/> opens on its <see cref="IStageGate"/>.</summary>
    public static IReadOnlyList<string> Stages { get; } = ["start", "self-assessment", "review", "scoring", "publication"];

    public IReadOnlyList<string> Branches { get; } = Enumerable.Range(0, branches)
        .Select(i => $"{County}.t{i / 31 + 1:00}.b{i % 31 + 1:000}").ToList();

    /// <summary>Every 2xx the client got: (branch or "", the action it asked for).</summary>
    public ConcurrentBag<(string Branch, string Action)> Accepted { get; } = [];

    public static bool Returned(int i) => i % 10 == 1;
    public static bool Rejected(int i) => i % 17 == 2;
    public static bool Vetoed(int i) => i % 23 == 3 && !Rejected(i);

    public static decimal[] Points(int i)
    {
        // Criteria are scored in half points; the spread makes ties, quotas and the unity gate all matter.
        decimal basePoints = 25 - (i % 24) * 0.5m;
        decimal unity = i % 7 == 0 ? 18 : 25 - (i % 4) * 0.5m;
        return [basePoints, Math.Max(0, basePoints - 1), Math.Max(0, basePoints - 0.5m * (i % 3)), unity];
    }

    static object Scores(decimal[] p) => new { political = p[0], organization = p[1], service = p[2], unity = p[3] };

    public async Task RunAsync()
    {
        var org = RetryingApi.Token(Roles.OrgDepartment, "chifeng");
        List<object[]> unitBatches = Units().Chunk(UnitsPerRequest).ToList();
        gate.Begin("start", unitBatches.Count + 2);
        // In order, so every unit's parent is stored by an earlier request or comes in the same one.
        for (int n = 0; n < unitBatches.Count; n++)
            await Expect(await api.PutAsync(org, "api/units", new { units = unitBatches[n] }, $"units-{n}"),
                HttpStatusCode.OK, $"units {n}");
        await Expect(await api.PostAsync(org, "api/campaigns",
            CampaignDriver.Campaign(CampaignId, County, "PT2H", "PT2H", "PT2H", publicity: "PT40S").RequestBody(), "create"),
            HttpStatusCode.Created, "create");
        await Expect(await api.PostAsync(org, $"api/campaigns/{CampaignId}/start", new { }, "start"), HttpStatusCode.Accepted, "start");
        await gate.EndAsync();
        await WaitAsync(c => c.GetProperty("branchCount").ValueKind == JsonValueKind.Number, "the evaluations to start");
        log($"started {branches} evaluations");

        gate.Begin("self-assessment", branches);
        await ForEachAsync(Enumerable.Range(0, branches), i => SubmitAsync(i, round: 0));
        await gate.EndAsync();
        await WaitForStagesAsync(("awaiting-township-review", branches));
        log("self-assessments in");

        int rejected = Enumerable.Range(0, branches).Count(Rejected),
            returned = Enumerable.Range(0, branches).Count(i => Returned(i) && !Rejected(i));
        gate.Begin("review", branches + 2 * returned);
        await ForEachAsync(Enumerable.Range(0, branches), i =>
            ReviewAsync(i, round: 0, Rejected(i) ? "reject" : Returned(i) ? "return" : "approve"));
        await WaitForStagesAsync(("awaiting-self-assessment", returned), ("awaiting-county-score", branches - rejected - returned),
            ("done", rejected));
        log("first reviews in");

        int[] resubmitting = Enumerable.Range(0, branches).Where(i => Returned(i) && !Rejected(i)).ToArray();
        await ForEachAsync(resubmitting, i => SubmitAsync(i, round: 1));
        await WaitForStagesAsync(("awaiting-township-review", returned), ("awaiting-county-score", branches - rejected - returned),
            ("done", rejected));
        await ForEachAsync(resubmitting, i => ReviewAsync(i, round: 1, "approve"));
        await gate.EndAsync();
        await WaitForStagesAsync(("awaiting-county-score", branches - rejected), ("done", rejected));
        log("second reviews in");

        gate.Begin("scoring", branches - rejected);
        await ForEachAsync(Enumerable.Range(0, branches).Where(i => !Rejected(i)), ScoreAsync);
        await gate.EndAsync();
        await WaitForStagesAsync(("done", branches));
        log("county scores in");

        // The publication and the four writes of the two objections below.
        gate.Begin("publication", 5);
        await Expect(await api.PostAsync(org, $"api/campaigns/{CampaignId}/publication", new { }, "publication"),
            HttpStatusCode.Accepted, "publication");
        Accepted.Add(("", "publication"));
        JsonElement notice = await WaitRatingsAsync("publicity");
        log("public notice open");

        // Two objections: against the first and the last branch on the proposed list; the first is upheld.
        JsonElement list = notice.GetProperty("ratings");
        string upheld = list[0].GetProperty("branchId").GetString()!,
            dismissed = list[list.GetArrayLength() - 1].GetProperty("branchId").GetString()!;
        foreach (var (branch, uphold) in new[] { (upheld, true), (dismissed, false) })
        {
            var member = RetryingApi.Token(Roles.Member, CampaignDriver.TownshipOf(branch), "villager-" + branch);
            RetryingApi.Answer filed = await api.PostAsync(member, $"api/campaigns/{CampaignId}/objections",
                new { branchId = branch, text = "群众反映材料有误" }, "objection-" + branch);
            await Expect(filed, HttpStatusCode.Accepted, "objection " + branch);
            string id = filed.Body.GetProperty("id").GetString()!;
            Accepted.Add((branch, "objection-filed"));
            await Expect(await api.PostAsync(org, $"api/campaigns/{CampaignId}/objections/{id}/resolution",
                new { upheld = uphold, comment = uphold ? "经核实属实" : "经核实不属实" }, "resolution-" + branch),
                HttpStatusCode.OK, "resolution " + branch);
            Accepted.Add((branch, uphold ? "objection-upheld" : "objection-dismissed"));
        }
        await gate.EndAsync();
        await WaitRatingsAsync("published");
        log("published");
    }

    List<object> Units()
    {
        var units = new List<object>
        {
            new { id = "chifeng", name = "赤峰市", kind = "city" }, new { id = County, name = "混沌测试旗", kind = "county" },
        };
        foreach (string township in Branches.Select(CampaignDriver.TownshipOf).Distinct())
            units.Add(new { id = township, name = $"{township[^3..]}苏木", kind = "township" });
        units.AddRange(Branches.Select(b => (object)new { id = b, name = $"{b[^11..]}嘎查党支部", kind = "branch" }));
        return units;
    }

    async Task SubmitAsync(int i, int round)
    {
        string b = Branches[i];
        var body = new
        {
            scores = Scores(Points(i)),
            summary = round == 0 ? "本年度工作总结" : "已补充民族团结材料",
            evidence = new[] { new { criterion = "unity", title = "民族团结活动照片", url = "https://example.org/e/1" } },
        };
        await Expect(await api.PostAsync(RetryingApi.Token(Roles.BranchSecretary, b),
            $"api/campaigns/{CampaignId}/evaluations/{b}/self-assessment", body, $"submit-{round}-{b}"),
            HttpStatusCode.Accepted, $"submit {b}");
        Accepted.Add((b, "self-assessment-submitted"));
    }

    async Task ReviewAsync(int i, int round, string decision)
    {
        string b = Branches[i];
        var body = decision == "approve"
            ? new Dictionary<string, string> { ["decision"] = decision }
            : new Dictionary<string, string>
            {
                ["decision"] = decision, ["comment"] = decision == "return" ? "请补充民族团结材料" : "材料不实",
            };
        await Expect(await api.PostAsync(RetryingApi.Token(Roles.TownshipReviewer, CampaignDriver.TownshipOf(b)),
            $"api/campaigns/{CampaignId}/evaluations/{b}/township-review", body, $"review-{round}-{b}"),
            HttpStatusCode.Accepted, $"review {b}");
        Accepted.Add((b, decision switch { "approve" => "township-approved", "return" => "township-returned", _ => "township-rejected" }));
    }

    async Task ScoreAsync(int i)
    {
        string b = Branches[i];
        var body = new { scores = Scores(Points(i)), veto = Vetoed(i) ? "ethnic-incident" : null, comment = "评分" };
        await Expect(await api.PostAsync(RetryingApi.Token(Roles.CountyScorer, County, "scorer-1"),
            $"api/campaigns/{CampaignId}/evaluations/{b}/county-score", body, $"score-{b}"), HttpStatusCode.Accepted, $"score {b}");
        Accepted.Add((b, "county-scored"));
    }

    static async Task ForEachAsync(IEnumerable<int> items, Func<int, Task> action) =>
        await System.Threading.Tasks.Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Parallel },
            async (i, _) => await action(i));

    async Task<JsonElement> CampaignAsync()
    {
        RetryingApi.Answer a = await api.GetAsync(RetryingApi.Token(Roles.OrgDepartment, County), $"api/campaigns/{CampaignId}");
        await Expect(a, HttpStatusCode.OK, "campaign");
        return a.Body;
    }

    async Task WaitAsync(Func<JsonElement, bool> done, string what, int minutes = 10)
    {
        var until = DateTime.UtcNow.AddMinutes(minutes);
        JsonElement last;
        while (!done(last = await CampaignAsync()))
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"Gave up waiting for {what}; the campaign: {last}");
            await Task.Delay(500);
        }
    }

    Task WaitForStagesAsync(params (string Stage, int Count)[] expected) =>
        WaitAsync(c => c.ValueKind == JsonValueKind.Object &&
                       expected.All(e => c.GetProperty("evaluations").GetProperty("stages").GetProperty(e.Stage).GetInt32() == e.Count),
            string.Join(", ", expected.Select(e => $"{e.Count} {e.Stage}")));

    async Task<JsonElement> WaitRatingsAsync(string status)
    {
        var until = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            RetryingApi.Answer a = await api.GetAsync(RetryingApi.Token(Roles.OrgDepartment, County),
                $"api/campaigns/{CampaignId}/ratings");
            if (a.Status == HttpStatusCode.OK && a.Body.GetProperty("status").GetString() == status) return a.Body;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"Gave up waiting for the ratings to be {status}: {(int)a.Status} {a.Body}");
            await Task.Delay(500);
        }
    }

    static Task Expect(RetryingApi.Answer a, HttpStatusCode status, string what) =>
        a.Status == status
            ? Task.CompletedTask
            : throw new Xunit.Sdk.XunitException($"{what}: expected {(int)status}, got {(int)a.Status}: {a.Body}");
}
