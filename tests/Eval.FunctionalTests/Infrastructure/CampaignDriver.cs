using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Eval.LocalHost.Cli;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests.Infrastructure;

/// <summary>
/// Drives campaigns through the HTTP API the way the people in them would: the organization department, branch
/// secretaries, township reviewers and county scorers, each with a token for their own role and unit.
/// </summary>
public sealed class CampaignDriver(LocalHostProcess host) : IDisposable
{
    readonly Dictionary<string, HttpClient> clients = [];

    /// <summary>
    /// A fresh county under chifeng with <paramref name="townships"/> × <paramref name="branchesPerTownship"/> branches.
    /// </summary>
    public async Task<TestCounty> CreateCountyAsync(int townships, int branchesPerTownship)
    {
        string county = "chifeng.e" + Guid.NewGuid().ToString("N")[..10];
        var units = new List<object>
        {
            new { id = "chifeng", name = "赤峰市", kind = "city" }, new { id = county, name = "测试旗", kind = "county" },
        };
        var branches = new List<string>();
        for (int t = 1; t <= townships; t++)
        {
            string township = $"{county}.t{t:00}";
            units.Add(new { id = township, name = $"第{t}苏木", kind = "township" });
            for (int b = 1; b <= branchesPerTownship; b++)
            {
                branches.Add($"{township}.b{b:000}");
                units.Add(new { id = branches[^1], name = $"第{t}苏木第{b}嘎查党支部", kind = "branch" });
            }
        }
        using HttpResponseMessage put = await As(Roles.OrgDepartment, "chifeng").PutAsJsonAsync("api/units", new { units });
        await Expect(put, HttpStatusCode.OK);
        return new TestCounty(county, branches);
    }

    /// <summary>
    /// The Chifeng campaign over a test county, its stages cut to what a test can wait for: a minute each and a public
    /// notice of 3 s unless the test says otherwise. Anything else a test varies it changes with <c>with</c>.
    /// </summary>
    public static CampaignDefinition Campaign(string id, string county, string selfAssessment = "PT60S", string townshipReview = "PT60S",
        string countyScoring = "PT60S", string publicity = "PT3S") =>
        ChifengCampaign.Definition(id, county, "测试旗2026年度最强党支部评定") with
        {
            Schedule = new Schedule(selfAssessment, townshipReview, countyScoring, publicity),
        };

    /// <summary>POST /api/campaigns by the organization department of <paramref name="unit"/> (the campaign's own by default).</summary>
    public Task<HttpResponseMessage> CreateAsync(CampaignDefinition campaign, string? unit = null) =>
        As(Roles.OrgDepartment, unit ?? campaign.Unit).PostAsJsonAsync("api/campaigns", campaign.RequestBody());

    public async Task<string> CreateAndStartAsync(CampaignDefinition campaign, string county, int branches)
    {
        HttpClient org = As(Roles.OrgDepartment, county);
        using HttpResponseMessage created = await CreateAsync(campaign, county);
        await Expect(created, HttpStatusCode.Created);
        string id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using HttpResponseMessage started = await org.PostAsync($"api/campaigns/{id}/start", null);
        await Expect(started, HttpStatusCode.Accepted);
        await Poll.UntilAsync(async () =>
        {
            JsonElement c = await GetCampaignAsync(id, county);
            return c.GetProperty("evaluations").GetProperty("total").GetInt32() == branches
                && c.GetProperty("branchCount").ValueKind == JsonValueKind.Number ? "ok" : null;
        }, TimeSpan.FromSeconds(60), $"campaign {id} to start {branches} evaluations", () => host.Output);
        return id;
    }

    public async Task<JsonElement> GetCampaignAsync(string id, string unit) =>
        await As(Roles.OrgDepartment, unit).GetFromJsonAsync<JsonElement>($"api/campaigns/{id}");

    public static object Scores(decimal political, decimal organization, decimal service, decimal unity) =>
        new { political, organization, service, unity };

    public Task<HttpResponseMessage> SubmitAsync(string campaign, string branch, object scores, string summary = "本年度工作总结") =>
        As(Roles.BranchSecretary, branch).PostAsJsonAsync($"api/campaigns/{campaign}/evaluations/{branch}/self-assessment",
            new
            {
                scores, summary,
                evidence = new[] { new { criterion = "unity", title = "民族团结活动照片", url = "https://example.org/e/1" } },
            });

    public Task<HttpResponseMessage> ReviewAsync(string campaign, string branch, string decision, string? comment = null,
        string role = Roles.TownshipReviewer, string? unit = null) =>
        As(role, unit ?? TownshipOf(branch)).PostAsJsonAsync($"api/campaigns/{campaign}/evaluations/{branch}/township-review",
            comment is null
                ? new Dictionary<string, string> { ["decision"] = decision }
                : new Dictionary<string, string> { ["decision"] = decision, ["comment"] = comment });

    public Task<HttpResponseMessage> ScoreAsync(string campaign, string branch, object scores, string? veto = null,
        string role = Roles.CountyScorer, string? scorer = null, string? unit = null) =>
        As(role, unit ?? CountyOf(branch), scorer).PostAsJsonAsync($"api/campaigns/{campaign}/evaluations/{branch}/county-score",
            new { scores, veto, comment = "评分" });

    public async Task<JsonElement> EvaluationAsync(string campaign, string branch) =>
        await As(Roles.OrgDepartment, CountyOf(branch)).GetFromJsonAsync<JsonElement>($"api/campaigns/{campaign}/evaluations/{branch}");

    /// <summary>Waits until the evaluation's stored record satisfies <paramref name="condition"/>.</summary>
    public async Task<JsonElement> WaitForAsync(string campaign, string branch, Func<JsonElement, bool> condition,
        string what, int seconds = 60)
    {
        JsonElement last = default;
        return (JsonElement)await Poll.UntilAsync<object>(async () =>
        {
            last = await EvaluationAsync(campaign, branch);
            return condition(last) ? last : null;
        }, TimeSpan.FromSeconds(seconds), $"{branch} {what}", () => $"last seen: {last}\n{host.Output}");
    }

    public Task<JsonElement> WaitForStageAsync(string campaign, string branch, string stage, int seconds = 60) =>
        WaitForAsync(campaign, branch, e => e.GetProperty("stage").GetString() == stage, $"to reach {stage}", seconds);

    /// <summary>
    /// Takes every branch of a started campaign through self-assessment, approval and a score of 24 per criterion, then
    /// asks for publication and waits until the proposed list is under public notice.
    /// </summary>
    public async Task ToNoticeAsync(string campaign, TestCounty county)
    {
        await ScoreAllAsync(campaign, county);
        HttpClient org = As(Roles.OrgDepartment, county.Id);
        await Expect(await org.PostAsJsonAsync($"api/campaigns/{campaign}/publication", new { }), HttpStatusCode.Accepted);
        await RatingsAsync(campaign, "publicity");
    }

    /// <summary>The public ratings list once it is in <paramref name="status"/> (publicity or published).</summary>
    public async Task<JsonElement> RatingsAsync(string campaign, string status, int seconds = 60) =>
        (JsonElement)await Poll.UntilAsync<object>(async () =>
        {
            using HttpResponseMessage r = await host.Http.GetAsync($"api/campaigns/{campaign}/ratings");
            if (r.StatusCode != HttpStatusCode.OK) return null;
            JsonElement list = await r.Content.ReadFromJsonAsync<JsonElement>();
            return list.GetProperty("status").GetString() == status ? list : null;
        }, TimeSpan.FromSeconds(seconds), $"campaign {campaign}'s ratings {status}", () => host.Output);

    /// <summary>
    /// Takes every branch through self-assessment, approval and the county's points (24 per criterion unless
    /// <paramref name="points"/> gives a branch's index its own), and waits until every evaluation is done.
    /// </summary>
    public async Task ScoreAllAsync(string campaign, TestCounty county, Func<int, decimal[]>? points = null)
    {
        await SubmitAllAsync(campaign, county.Branches, Scores(24, 24, 24, 24));
        foreach (string b in county.Branches)
            await Expect(await ReviewAsync(campaign, b, "approve"), HttpStatusCode.Accepted);
        for (int i = 0; i < county.Branches.Count; i++)
        {
            string b = county.Branches[i];
            decimal[] p = points?.Invoke(i) ?? [24, 24, 24, 24];
            await WaitForStageAsync(campaign, b, "awaiting-county-score");
            await Expect(await ScoreAsync(campaign, b, Scores(p[0], p[1], p[2], p[3])), HttpStatusCode.Accepted);
        }
        foreach (string b in county.Branches) await WaitForStageAsync(campaign, b, "done");
    }

    /// <summary>Each branch's self-assessment with these points, accepted, then each as its township reviewer finds it.</summary>
    public async Task SubmitAllAsync(string campaign, IEnumerable<string> branches, object scores)
    {
        string[] all = [.. branches];
        foreach (string b in all) await Expect(await SubmitAsync(campaign, b, scores), HttpStatusCode.Accepted);
        foreach (string b in all) await WaitForStageAsync(campaign, b, "awaiting-township-review");
    }

    public HttpClient As(string role, string unit, string? sub = null)
    {
        string key = $"{role}|{unit}|{sub}";
        if (!clients.TryGetValue(key, out HttpClient? client)) clients[key] = client = host.As(role, unit, sub);
        return client;
    }

    public static string TownshipOf(string branch) => branch[..branch.LastIndexOf('.')];
    public static string CountyOf(string branch) => string.Join('.', branch.Split('.').Take(2));

    public static async Task Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode != status)
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, " +
                $"expected {(int)status}: {await response.Content.ReadAsStringAsync()}");
    }

    public void Dispose()
    {
        foreach (HttpClient c in clients.Values) c.Dispose();
    }
}

public sealed record TestCounty(string Id, IReadOnlyList<string> Branches);
