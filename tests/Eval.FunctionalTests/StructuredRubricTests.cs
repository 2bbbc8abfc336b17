using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests;

/// <summary>
/// A structured rubric through the API: a village scored by the campaign's rubric with a deduction item, a bonus item
/// and a flag, a community by its category's own rubric in sections; deductions from the township, bonuses and flags
/// from the county, the refusals of items a rubric does not have, and the breakdown the evaluation shows, checked
/// against the formula of docs/scoring.md worked by hand.
/// </summary>
public sealed class StructuredRubricTests(LocalHostFixture fx) : IClassFixture<LocalHostFixture>, IDisposable
{
    readonly CampaignDriver driver = new(fx.Host);

    public void Dispose() => driver.Dispose();

    static readonly Rubric CommunityRubric = new(
        [
            new Criterion("governance", "基层治理", 40, Section: "governance"),
            new Criterion("neighbourhood", "民族团结进步社区创建", 60, Section: "unity"),
        ], UnityWeight: 1m, UnityMinShare: 0.8m, [])
    {
        Sections = [new RubricSection("governance", "治理引领"), new RubricSection("unity", "民族团结进步", Unity: true)],
    };

    static CampaignDefinition Structured(string id, string county)
    {
        CampaignDefinition c = CampaignDriver.Campaign(id, county, publicity: "PT5M");
        return c with
        {
            Rubric = c.Rubric with
            {
                Deductions = [new DeductionItem("absent", "党员缺席组织生活", PointsEach: 0.5m, Cap: 4m)],
                Bonuses = [new BonusItem("honour", "获评上级表彰", 3m)],
                Flags = [new ScorerFlag("innovation", "党建创新项目")],
            },
            Rubrics = new Dictionary<string, Rubric>
            {
                [BranchCategories.Community] = CommunityRubric with { Flags = [new ScorerFlag("innovation", "党建创新项目")] },
            },
            // Half the ranked branches may be the strongest, and only with the innovation flag a county scorer sets.
            Levels =
            [
                c.Levels[0] with { Quota = 0.5m, Gates = [new LevelGate(GateKinds.Flag) { Flag = "innovation" }] },
                .. c.Levels.Skip(1),
            ],
        };
    }

    Task<HttpResponseMessage> PostAsync(string role, string unit, string campaign, string branch, string step, object body) =>
        driver.As(role, unit).PostAsJsonAsync($"api/campaigns/{campaign}/evaluations/{branch}/{step}", body);

    static async Task ExpectProblemAt(HttpResponseMessage response, string pointer)
    {
        await CampaignDriver.Expect(response, HttpStatusCode.UnprocessableEntity);
        string body = await response.Content.ReadAsStringAsync();
        // At the pointer, or under it.
        Assert.Contains($"\"{pointer}", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_category_is_scored_by_its_rubric_with_deductions_bonuses_and_flags()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 2);
        string village = county.Branches[0], community = county.Branches[1], township = CampaignDriver.TownshipOf(village);
        await CampaignDriver.Expect(await driver.As(Roles.OrgDepartment, "chifeng").PutAsJsonAsync("api/units", new
        {
            units = new[]
            {
                new { id = village, name = "村党支部", kind = "branch", category = BranchCategories.Village },
                new { id = community, name = "社区党支部", kind = "branch", category = BranchCategories.Community },
            },
        }), HttpStatusCode.OK);
        string campaign = await driver.CreateAndStartAsync(Structured("sr-" + Guid.NewGuid().ToString("N")[..8], county.Id), county.Id, 2);

        // Each category's schema names its own criteria; a category Eval does not know is refused.
        HttpClient secretary = driver.As(Roles.BranchSecretary, community);
        string schemas = $"api/campaigns/{campaign}/schemas/self-assessment";
        JsonElement schema = await secretary.GetFromJsonAsync<JsonElement>($"{schemas}?category=community");
        Assert.Equal(["governance", "neighbourhood"],
            schema.GetProperty("properties").GetProperty("scores").GetProperty("properties").EnumerateObject().Select(p => p.Name));
        using (HttpResponseMessage farm = await secretary.GetAsync($"{schemas}?category=farm"))
            await ExpectProblemAt(farm, "/query/category");

        // The community is held to its category's criteria, the village to the campaign's.
        await ExpectProblemAt(await driver.SubmitAsync(campaign, community, CampaignDriver.Scores(24, 24, 24, 24)), "/scores");
        await CampaignDriver.Expect(await PostAsync(Roles.BranchSecretary, community, campaign, community, "self-assessment",
            new { scores = new { governance = 36, neighbourhood = 57 }, summary = "社区民族团结进步创建" }),
            HttpStatusCode.Accepted);
        await CampaignDriver.Expect(await driver.SubmitAsync(campaign, village, CampaignDriver.Scores(22, 24, 23, 24)),
            HttpStatusCode.Accepted);

        // The township: deductions only of the branch's rubric, only with an approval.
        await driver.WaitForStageAsync(campaign, village, "awaiting-township-review");
        object Absent(int occurrences) => new[] { new { item = "absent", occurrences, reason = $"{occurrences}人次缺席组织生活" } };
        await ExpectProblemAt(await PostAsync(Roles.TownshipReviewer, township, campaign, village, "township-review",
            new { decision = "return", comment = "请补充", deductions = Absent(2) }), "/deductions");
        await ExpectProblemAt(await PostAsync(Roles.TownshipReviewer, township, campaign, community, "township-review",
            new { decision = "approve", deductions = Absent(2) }), "/deductions/0/item");
        await CampaignDriver.Expect(await PostAsync(Roles.TownshipReviewer, township, campaign, village, "township-review",
            new { decision = "approve", deductions = Absent(3) }), HttpStatusCode.Accepted);
        await CampaignDriver.Expect(await driver.ReviewAsync(campaign, community, "approve"), HttpStatusCode.Accepted);

        // The county: a bonus over its item's maximum and a flag the rubric lacks are refused; then the scores.
        await driver.WaitForStageAsync(campaign, village, "awaiting-county-score");
        string countyId = county.Id;
        object VillageScore(decimal honour, string flag) => new
        {
            scores = CampaignDriver.Scores(23, 24, 22, 24), veto = (string?)null,
            deductions = Absent(5),
            bonuses = new[] { new { item = "honour", points = honour, reason = "获评市级先进基层党组织" } },
            flags = new[] { flag },
        };
        Task<HttpResponseMessage> ScoreVillageAsync(object body) =>
            PostAsync(Roles.CountyScorer, countyId, campaign, village, "county-score", body);
        await ExpectProblemAt(await ScoreVillageAsync(VillageScore(3.5m, "innovation")), "/bonuses/0/points");
        await ExpectProblemAt(await ScoreVillageAsync(VillageScore(2m, "luck")), "/flags/0");
        await CampaignDriver.Expect(await ScoreVillageAsync(VillageScore(2m, "innovation")), HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, community, "awaiting-county-score");
        await CampaignDriver.Expect(await PostAsync(Roles.CountyScorer, countyId, campaign, community, "county-score",
            new { scores = new { governance = 34, neighbourhood = 55.5 } }), HttpStatusCode.Accepted);

        // Village: base = 100 × (23 + 24 + 22 + 1.5 × 24) / (75 + 1.5 × 25) = 100 × 105 / 112.5 = 93.333…; the township
        // found 3 absences, the scorer 5: the most, 5, count: 2.5 off → 90.8333…; + honour 2 = 92.8333… → 92.83.
        JsonElement v = await driver.WaitForStageAsync(campaign, village, "done");
        Assert.Equal(92.83m, v.GetProperty("finalScore").GetDecimal());
        JsonElement breakdown = v.GetProperty("breakdown");
        JsonElement absent = Assert.Single(breakdown.GetProperty("deductions").EnumerateArray());
        Assert.Equal((5, 2.5m), (absent.GetProperty("occurrences").GetInt32(), absent.GetProperty("points").GetDecimal()));
        Assert.Equal("3人次缺席组织生活; 5人次缺席组织生活", absent.GetProperty("reasons").GetString());
        Assert.Equal(2m, breakdown.GetProperty("bonusTotal").GetDecimal());
        Assert.Equal(BranchCategories.Village, v.GetProperty("category").GetString());
        Assert.Equal(["innovation"], v.GetProperty("scores")[0].GetProperty("score").GetProperty("flags").EnumerateArray()
            .Select(f => f.GetString()));

        // Community, by its own rubric (weights 1): 100 × (34 + 55.5) / 100 = 89.5; unity share 55.5 / 60 = 0.925.
        JsonElement c = await driver.WaitForStageAsync(campaign, community, "done");
        Assert.Equal((89.5m, 0.925m), (c.GetProperty("finalScore").GetDecimal(), c.GetProperty("unityShare").GetDecimal()));
        Assert.Equal(["governance", "unity"], c.GetProperty("breakdown").GetProperty("sections").EnumerateArray()
            .Select(s => s.GetProperty("id").GetString()));

        // The proposed list: the village, flagged, takes the one top place; the community falls short of 90. The public
        // list says why in short, the evaluation in full.
        await CampaignDriver.Expect(await driver.As(Roles.OrgDepartment, county.Id).PostAsJsonAsync($"api/campaigns/{campaign}/publication",
            new { }), HttpStatusCode.Accepted);
        JsonElement list = await driver.RatingsAsync(campaign, "publicity");
        var ratings = list.GetProperty("ratings").EnumerateArray().ToDictionary(r => r.GetProperty("branchId").GetString()!);
        Assert.Equal("strongest", ratings[village].GetProperty("level").GetString());
        Assert.False(ratings[village].TryGetProperty("reason", out _));
        Assert.Equal(("advanced", "最强党支部: score 89.50 < 90.00"),
            (ratings[community].GetProperty("level").GetString(), ratings[community].GetProperty("reason").GetString()));
        Assert.False(ratings[community].TryGetProperty("why", out _));

        JsonElement why = (await driver.EvaluationAsync(campaign, community)).GetProperty("why");
        Assert.Equal(("advanced", "score 89.50 ≥ 80.00"), (why.GetProperty("level").GetString(), why.GetProperty("given").GetString()));
        JsonElement missed = Assert.Single(why.GetProperty("missed").EnumerateArray());
        Assert.Equal(MissReasons.MinScore, missed.GetProperty("reason").GetString());
        JsonElement villageWhy = (await driver.EvaluationAsync(campaign, village)).GetProperty("why");
        Assert.StartsWith("score 92.83 ≥ 90.00, within the places", villageWhy.GetProperty("given").GetString(),
            StringComparison.Ordinal);
    }
}
