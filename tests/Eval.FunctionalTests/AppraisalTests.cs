using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.LocalHost.Cli;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests;

/// <summary>
/// The members' appraisal (民主测评) through the API and the workflow: the roster, one ballot a member under concurrent
/// casts, the window (ballots before it opens and after it closes refused), the count as the evaluation's workflow records
/// it, the score's appraisal component exactly as docs/scoring.md says, and the gate capping a level.
/// </summary>
public sealed class AppraisalTests(LocalHostFixture fx) : IClassFixture<LocalHostFixture>, IDisposable
{
    readonly CampaignDriver driver = new(fx.Host);

    public void Dispose() => driver.Dispose();

    /// <summary>The Chifeng appraisal with a window short enough to wait for.</summary>
    static AppraisalDefinition Appraisal(string window = "PT20S") => ChifengCampaign.Appraisal with { Window = window };

    static CampaignDefinition Campaign(string prefix, string county, string window = "PT20S") =>
        CampaignDriver.Campaign(prefix + "-" + Guid.NewGuid().ToString("N")[..8], county).WithAppraisal(Appraisal(window));

    static string Url(string campaign, string branch) => $"api/campaigns/{campaign}/evaluations/{branch}/appraisal";

    Task<HttpResponseMessage> RosterAsync(string campaign, string branch, object body, string role = Roles.BranchSecretary) =>
        driver.As(role, role == Roles.BranchSecretary ? branch : CampaignDriver.TownshipOf(branch))
            .PutAsJsonAsync(Url(campaign, branch) + "/roster", body);

    Task<HttpResponseMessage> VoteAsync(string campaign, string branch, string member, string choice) =>
        fx.Host.As(Roles.Member, branch, member).PostAsJsonAsync(Url(campaign, branch) + "/ballots", new { choice });

    async Task<JsonElement> AppraisalAsync(string campaign, string branch, string role = Roles.OrgDepartment, string? sub = null) =>
        await driver.As(role, role == Roles.Member ? branch : CampaignDriver.CountyOf(branch), sub)
            .GetFromJsonAsync<JsonElement>(Url(campaign, branch));

    static string[] Members(int n, string prefix = "m") => [.. Enumerable.Range(1, n).Select(i => $"{prefix}-{i:00}")];

    [Fact]
    public async Task One_member_casts_one_ballot_in_the_window_and_the_count_scores_exactly()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 1);
        string branch = county.Branches[0];
        string campaign = await driver.CreateAndStartAsync(Campaign("ap", county.Id), county.Id, 1);
        string[] members = Members(6);

        // Who may set the roster, and what it takes.
        await CampaignDriver.Expect(await RosterAsync(campaign, branch, new { members }, Roles.CountyScorer), HttpStatusCode.Forbidden);
        await CampaignDriver.Expect(await RosterAsync(campaign, branch, new { members = new[] { "m-01", "m-01" } }),
            HttpStatusCode.UnprocessableEntity);
        await CampaignDriver.Expect(await RosterAsync(campaign, branch, new { members, memberCount = 6 }),
            HttpStatusCode.UnprocessableEntity);
        await CampaignDriver.Expect(await RosterAsync(campaign, branch, new { memberCount = 9 }, Roles.TownshipReviewer),
            HttpStatusCode.OK);
        await CampaignDriver.Expect(await RosterAsync(campaign, branch, new { members }), HttpStatusCode.OK);

        // Before the self-assessment the window is not open.
        await CampaignDriver.Expect(await VoteAsync(campaign, branch, "m-01", "satisfied"), HttpStatusCode.Conflict);
        Assert.Equal("not-open", (await AppraisalAsync(campaign, branch)).GetProperty("status").GetString());

        await CampaignDriver.Expect(await driver.SubmitAsync(campaign, branch, CampaignDriver.Scores(24, 24, 24, 24)),
            HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, branch, "awaiting-township-review");

        // Ten casts at once by one member: exactly one is counted.
        HttpResponseMessage[] racing =
            await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => VoteAsync(campaign, branch, "m-01", "satisfied")));
        Assert.Equal(1, racing.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(9, racing.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        // The others, two of them at once; a bad choice, a stranger and another branch's member are refused.
        string[] choices = ["satisfied", "fair", "dissatisfied", "satisfied", "fair"];
        await CampaignDriver.Expect(await VoteAsync(campaign, branch, "m-02", "very-satisfied"), HttpStatusCode.UnprocessableEntity);
        await CampaignDriver.Expect(await VoteAsync(campaign, branch, "m-99", "satisfied"), HttpStatusCode.Forbidden);
        await CampaignDriver.Expect(await fx.Host.As(Roles.Member, CampaignDriver.TownshipOf(branch), "m-02")
            .PostAsJsonAsync(Url(campaign, branch) + "/ballots", new { choice = "fair" }), HttpStatusCode.Forbidden);
        HttpResponseMessage[] rest = await Task.WhenAll(members.Skip(1).Select((m, i) => VoteAsync(campaign, branch, m, choices[i])));
        Assert.All(rest, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        await CampaignDriver.Expect(await RosterAsync(campaign, branch, new { members = Members(7) }), HttpStatusCode.Conflict);

        // During the window: how many voted, and a member sees that they did, but no count of any choice.
        JsonElement open = await AppraisalAsync(campaign, branch);
        Assert.Equal(("open", 6, 6), (open.GetProperty("status").GetString(), open.GetProperty("eligible").GetInt32(),
            open.GetProperty("ballots").GetInt32()));
        Assert.Equal(JsonValueKind.Null, open.GetProperty("result").ValueKind);
        Assert.True((await AppraisalAsync(campaign, branch, Roles.Member, "m-03")).GetProperty("youVoted").GetBoolean());

        // The review and the score go on while the window is open; the score waits for its close.
        await CampaignDriver.Expect(await driver.ReviewAsync(campaign, branch, "approve"), HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, branch, "awaiting-county-score");
        await CampaignDriver.Expect(await driver.ScoreAsync(campaign, branch, CampaignDriver.Scores(24, 24, 24, 24)),
            HttpStatusCode.Accepted);
        JsonElement done = await driver.WaitForStageAsync(campaign, branch, "done", seconds: 90);
        await CampaignDriver.Expect(await VoteAsync(campaign, branch, "m-02", "satisfied"), HttpStatusCode.Conflict);

        // 100 + 100 + 80 + 0 + 100 + 80 = 460 over 6 ballots: 76.666…; base 96; 0.7 × 96 + 0.3 × 76.666… = 67.2 + 23 = 90.20.
        Assert.Equal(90.20m, done.GetProperty("finalScore").GetDecimal());
        JsonElement component = done.GetProperty("breakdown").GetProperty("components").EnumerateArray()
            .Single(c => c.GetProperty("kind").GetString() == "appraisal");
        Assert.Equal((76.6667m, 23m), (component.GetProperty("value").GetDecimal(), component.GetProperty("weighted").GetDecimal()));
        JsonElement result = (await AppraisalAsync(campaign, branch)).GetProperty("result");
        Assert.Equal((6, 6, 1m, true, 0.7667m), (result.GetProperty("ballots").GetInt32(), result.GetProperty("eligible").GetInt32(),
            result.GetProperty("participation").GetDecimal(), result.GetProperty("valid").GetBoolean(),
            result.GetProperty("satisfaction").GetDecimal()));
        Assert.Equal([("satisfied", 3), ("fair", 2), ("dissatisfied", 1)], result.GetProperty("counts").EnumerateArray()
            .Select(c => (c.GetProperty("choice").GetString()!, c.GetProperty("count").GetInt32())));
        Assert.Equal(0.7667m, done.GetProperty("appraisal").GetProperty("satisfaction").GetDecimal());

        // The count is in the history and the audit chain, as counts.
        JsonElement closed = done.GetProperty("history").EnumerateArray()
            .Single(h => h.GetProperty("action").GetString() == HistoryActions.AppraisalClosed);
        Assert.Equal("6 of 6 voted (100.00%); satisfaction 76.67%: 满意 3, 基本满意 2, 不满意 1",
            closed.GetProperty("detail").GetString());
        JsonElement verify = await driver.As(Roles.OrgDepartment, county.Id)
            .GetFromJsonAsync<JsonElement>($"api/campaigns/{campaign}/audit/verify");
        Assert.True(verify.GetProperty("intact").GetBoolean(), verify.ToString());
    }

    [Fact]
    public async Task Low_participation_does_not_count_and_the_gate_caps_the_level()
    {
        // Three branches at full points: one appraised well, one poorly (below 60%), one by too few of its members.
        TestCounty county = await driver.CreateCountyAsync(1, 3);
        string campaign = await driver.CreateAndStartAsync(Campaign("ag", county.Id, "PT15S") with
        {
            Levels = [.. ChifengCampaign.Levels.Select(l => l with { Quota = null })],
        }, county.Id, 3);
        var (good, poor, few) = (county.Branches[0], county.Branches[1], county.Branches[2]);
        foreach (string b in county.Branches)
            await CampaignDriver.Expect(await RosterAsync(campaign, b, new { members = Members(9, b[^4..]) }), HttpStatusCode.OK);
        foreach (string b in county.Branches)
            await CampaignDriver.Expect(await driver.SubmitAsync(campaign, b, CampaignDriver.Scores(25, 25, 25, 25)),
                HttpStatusCode.Accepted);
        foreach (string b in county.Branches) await driver.WaitForStageAsync(campaign, b, "awaiting-township-review");

        async Task Vote(string branch, params string[] choices)
        {
            string[] members = Members(9, branch[^4..]);
            for (int i = 0; i < choices.Length; i++)
                await CampaignDriver.Expect(await VoteAsync(campaign, branch, members[i], choices[i]), HttpStatusCode.Accepted);
        }
        await Vote(good, "satisfied", "satisfied", "satisfied", "satisfied", "satisfied", "fair");
        await Vote(poor, "dissatisfied", "dissatisfied", "dissatisfied", "satisfied", "fair", "satisfied");
        // 5 of 9: 55.56% < 66.67%.
        await Vote(few, "satisfied", "satisfied", "satisfied", "satisfied", "satisfied");

        foreach (string b in county.Branches)
        {
            await CampaignDriver.Expect(await driver.ReviewAsync(campaign, b, "approve"), HttpStatusCode.Accepted);
            await driver.WaitForStageAsync(campaign, b, "awaiting-county-score");
            await CampaignDriver.Expect(await driver.ScoreAsync(campaign, b, CampaignDriver.Scores(25, 25, 25, 25)),
                HttpStatusCode.Accepted);
        }
        foreach (string b in county.Branches) await driver.WaitForStageAsync(campaign, b, "done", seconds: 90);
        await CampaignDriver.Expect(await driver.As(Roles.OrgDepartment, county.Id)
            .PostAsJsonAsync($"api/campaigns/{campaign}/publication", new { }), HttpStatusCode.Accepted);
        JsonElement list = await driver.RatingsAsync(campaign, "publicity");
        Dictionary<string, JsonElement> rated = list.GetProperty("ratings").EnumerateArray()
            .ToDictionary(r => r.GetProperty("branchId").GetString()!);

        // good: 0.7 × 100 + 0.3 × (580 / 6) = 70 + 29 = 99.00, strongest.
        Assert.Equal((99.00m, "strongest"), (rated[good].GetProperty("score").GetDecimal(), rated[good].GetProperty("level").GetString()));
        // poor: satisfaction (0 + 0 + 0 + 100 + 80 + 100) / 6 = 46.67% < 60%: 70 + 14 = 84.00 would be advanced; capped at qualified.
        Assert.Equal((84.00m, "qualified"), (rated[poor].GetProperty("score").GetDecimal(), rated[poor].GetProperty("level").GetString()));
        // few: not valid, so the component counts 0 (70.00) and the gate caps it: qualified.
        Assert.Equal((70.00m, "qualified"), (rated[few].GetProperty("score").GetDecimal(), rated[few].GetProperty("level").GetString()));

        JsonElement poorWhy = (await driver.EvaluationAsync(campaign, poor)).GetProperty("why");
        Assert.Contains(poorWhy.GetProperty("missed").EnumerateArray(), m => m.GetProperty("level").GetString() == "advanced"
            && m.GetProperty("reason").GetString() == MissReasons.Appraisal
            && m.GetProperty("detail").GetString() == "members' satisfaction 46.67% < 60.00%");
        JsonElement fewAppraisal = (await driver.EvaluationAsync(campaign, few)).GetProperty("appraisal");
        Assert.Equal((false, "participation 55.56% (5 of 9) < 66.67%"),
            (fewAppraisal.GetProperty("valid").GetBoolean(), fewAppraisal.GetProperty("invalid").GetString()));
    }

    [Fact]
    public async Task Fewer_than_five_ballots_are_too_few_to_show()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 1);
        string branch = county.Branches[0];
        string campaign = await driver.CreateAndStartAsync(Campaign("af", county.Id, "PT10S"), county.Id, 1);
        await CampaignDriver.Expect(await RosterAsync(campaign, branch, new { memberCount = 4 }), HttpStatusCode.OK);
        await CampaignDriver.Expect(await driver.SubmitAsync(campaign, branch, CampaignDriver.Scores(24, 24, 24, 24)),
            HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, branch, "awaiting-township-review");
        // A roster by number: any member token at the branch, up to the number.
        foreach (string m in Members(4))
            await CampaignDriver.Expect(await VoteAsync(campaign, branch, m, "dissatisfied"), HttpStatusCode.Accepted);
        await CampaignDriver.Expect(await VoteAsync(campaign, branch, "m-05", "satisfied"), HttpStatusCode.Conflict);

        await Poll.UntilAsync(async () =>
                (await AppraisalAsync(campaign, branch)).GetProperty("status").GetString() == "closed" ? "" : null,
            TimeSpan.FromSeconds(60), "the appraisal to close");
        JsonElement result = (await AppraisalAsync(campaign, branch)).GetProperty("result");
        Assert.True(result.GetProperty("tooFewToShow").GetBoolean());
        Assert.False(result.GetProperty("valid").GetBoolean());
        Assert.False(result.TryGetProperty("satisfaction", out JsonElement s) && s.ValueKind != JsonValueKind.Null);
        Assert.False(result.TryGetProperty("counts", out JsonElement c) && c.ValueKind != JsonValueKind.Null);
        // Not even the ballot box keeps the counts of so few.
        TableEntity box = await fx.Table("Appraisals").GetEntityAsync<TableEntity>($"{campaign}|{branch}", "box");
        Assert.Equal("{}", box.GetString("Counts"));
    }
}
