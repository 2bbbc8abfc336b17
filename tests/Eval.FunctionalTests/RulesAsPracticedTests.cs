using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests;

/// <summary>
/// The rules as practiced, end to end over a city of two counties: villages by the Chifeng rubric and communities by a
/// rubric of their own, the top level's places handed to each county, deductions from the township and the county,
/// bonuses, a joint veto and a rehearsal in the audit chain; every published rating checked against a computation of
/// docs/scoring.md written here, without the product's scoring or ranking.
/// </summary>
public sealed class RulesAsPracticedTests(LocalHostFixture fx) : IClassFixture<LocalHostFixture>, IDisposable
{
    readonly CampaignDriver driver = new(fx.Host);

    public void Dispose() => driver.Dispose();

    /// <summary>One branch's part: its category, the county's points, the deductions found and the bonus awarded.</summary>
    sealed record Plan(string Category, decimal[] Points, int TownshipAbsences, int CountyAbsences, decimal Honour);

    // The community rubric: governance 40, neighbourhood 60 (a unity section, weight 1); absences 1 point each, at most 3.
    static readonly Rubric Community = new(
        [
            new Criterion("governance", "基层治理", 40, Section: "governance"),
            new Criterion("neighbourhood", "民族团结进步社区创建", 60, Section: "unity"),
        ], UnityWeight: 1m, UnityMinShare: 0.8m, [])
    {
        Sections = [new RubricSection("governance", "治理引领"), new RubricSection("unity", "民族团结进步", Unity: true)],
        Deductions = [new DeductionItem("absent", "党员无故缺席组织生活（每人次）", PointsEach: 1m, Cap: 3m)],
        Bonuses = [new BonusItem("honour", "获评旗县级以上表彰", MaxPoints: 2m)],
    };

    static object Body(Plan plan) => plan.Category == BranchCategories.Community
        ? new { governance = plan.Points[0], neighbourhood = plan.Points[1] }
        : CampaignDriver.Scores(plan.Points[0], plan.Points[1], plan.Points[2], plan.Points[3]);

    static object[] Absent(int occurrences) =>
        occurrences == 0 ? [] : [new { item = "absent", occurrences, reason = $"{occurrences}人次缺席组织生活" }];

    [Fact]
    public async Task A_city_campaign_with_categories_county_places_deductions_bonuses_a_veto_and_a_rehearsal_publishes_as_computed()
    {
        TestCounty a = await driver.CreateCountyAsync(1, 3), b = await driver.CreateCountyAsync(1, 3);
        string[] branches = [.. a.Branches, .. b.Branches];
        Plan[] plans =
        [
            new(BranchCategories.Village, [24, 24, 24, 25], 2, 3, 2),      // the most absences, 3, count
            new(BranchCategories.Community, [36, 57], 0, 1, 1.5m),
            new(BranchCategories.Village, [22, 22, 22, 20], 0, 0, 0),
            new(BranchCategories.Community, [38, 58], 4, 0, 0),            // 4 absences, capped at 3 points
            new(BranchCategories.Village, [23, 23, 23, 24], 0, 0, 3),
            new(BranchCategories.Village, [24, 24, 24, 24], 0, 0, 0),      // vetoed by the discipline commission
        ];
        await CampaignDriver.Expect(await driver.As(Roles.OrgDepartment, "chifeng").PutAsJsonAsync("api/units", new
        {
            units = branches.Select((id, i) => new { id, name = $"第{i + 1}党支部", kind = "branch", category = plans[i].Category }),
        }), HttpStatusCode.OK);

        CampaignDefinition definition = CampaignDriver.Campaign("ra-" + Guid.NewGuid().ToString("N")[..8], "chifeng");
        definition = definition with
        {
            Rubrics = new Dictionary<string, Rubric> { [BranchCategories.Community] = Community },
            Levels =
            [
                definition.Levels[0] with { Quota = 0.5m, Allocation = new QuotaAllocation(UnitKinds.County) },
                .. definition.Levels.Skip(1),
            ],
        };
        string campaign = await driver.CreateAndStartAsync(definition, "chifeng", branches.Length);

        for (int i = 0; i < branches.Length; i++)
            await CampaignDriver.Expect(await driver.As(Roles.BranchSecretary, branches[i]).PostAsJsonAsync(
                $"api/campaigns/{campaign}/evaluations/{branches[i]}/self-assessment",
                new { scores = Body(plans[i]), summary = "全年工作总结" }), HttpStatusCode.Accepted);
        for (int i = 0; i < branches.Length; i++)
        {
            await driver.WaitForStageAsync(campaign, branches[i], "awaiting-township-review");
            await CampaignDriver.Expect(await driver.As(Roles.TownshipReviewer, CampaignDriver.TownshipOf(branches[i])).PostAsJsonAsync(
                $"api/campaigns/{campaign}/evaluations/{branches[i]}/township-review",
                new { decision = "approve", deductions = Absent(plans[i].TownshipAbsences) }), HttpStatusCode.Accepted);
        }
        for (int i = 0; i < branches.Length; i++)
        {
            await driver.WaitForStageAsync(campaign, branches[i], "awaiting-county-score");
            object[] bonuses = plans[i].Honour == 0 ? [] : [new { item = "honour", points = plans[i].Honour, reason = "市级表彰" }];
            await CampaignDriver.Expect(await driver.As(Roles.CountyScorer, CampaignDriver.CountyOf(branches[i])).PostAsJsonAsync(
                $"api/campaigns/{campaign}/evaluations/{branches[i]}/county-score",
                new { scores = Body(plans[i]), deductions = Absent(plans[i].CountyAbsences), bonuses }), HttpStatusCode.Accepted);
        }
        foreach (string branch in branches) await driver.WaitForStageAsync(campaign, branch, "done");

        HttpClient city = driver.As(Roles.OrgDepartment, "chifeng");
        await CampaignDriver.Expect(await city.PostAsJsonAsync($"api/campaigns/{campaign}/evaluations/{branches[5]}/vetoes",
            new { department = "旗纪委监委", documentRef = "纪函〔2026〕7号", reason = "支部书记受党纪处分" }),
            HttpStatusCode.Accepted);

        // A rehearsal: every branch of each county that reaches 90 could be the strongest. Counts only.
        using HttpResponseMessage rehearsed = await city.PostAsJsonAsync($"api/campaigns/{campaign}/rehearsals", new
        {
            levels = new object[]
            {
                new { id = "strongest", title = "最强党支部", minScore = 90, quota = 1, allocation = new { by = "county" } },
            },
        });
        Assert.Equal(HttpStatusCode.OK, rehearsed.StatusCode);
        JsonElement rehearsal = await rehearsed.Content.ReadFromJsonAsync<JsonElement>();

        await CampaignDriver.Expect(await city.PostAsJsonAsync($"api/campaigns/{campaign}/publication", new { }), HttpStatusCode.Accepted);
        JsonElement published = await driver.RatingsAsync(campaign, "published", seconds: 90);

        // The computation, by docs/scoring.md: then each published rating must be it, to the cent and the rank.
        var expected = Expected(branches, plans, vetoed: branches[5]);
        var actual = published.GetProperty("ratings").EnumerateArray().Select(r => (
            Branch: r.GetProperty("branchId").GetString()!, Score: r.GetProperty("score").GetDecimal(),
            Share: r.GetProperty("unityShare").GetDecimal(), Rank: r.GetProperty("rank").GetInt32(),
            Level: r.GetProperty("level").GetString()!)).ToList();
        Assert.Equal(expected, actual);
        // As worked by hand: 97.83 and 96.33 take their counties' one place each; 93.5 and 93 find theirs taken.
        Assert.Equal(["strongest", "strongest", "advanced", "advanced", "advanced"], actual.Select(r => r.Level));
        Assert.Equal([97.83m, 96.33m, 93.5m, 93m, 85.33m], actual.Select(r => r.Score));
        Assert.Equal(4, rehearsal.GetProperty("levels").GetProperty("strongest").GetInt32());

        // The audit chain holds the veto and the rehearsal, and verifies.
        List<string> campaignChain = [];
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {campaign}");
        await foreach (TableEntity row in fx.Table("Audit").QueryAsync<TableEntity>(filter))
            if (row.RowKey.StartsWith(AuditEntry.CampaignChain + "|", StringComparison.Ordinal))
                campaignChain.Add(row.GetString("Entry") ?? "");
        Assert.Contains(campaignChain, e => e.Contains($"\"{HistoryActions.JointVeto}\"", StringComparison.Ordinal));
        Assert.Contains(campaignChain, e => e.Contains($"\"{HistoryActions.Rehearsal}\"", StringComparison.Ordinal));
        JsonElement verify = await city.GetFromJsonAsync<JsonElement>($"api/campaigns/{campaign}/audit/verify");
        Assert.True(verify.GetProperty("intact").GetBoolean(), verify.ToString());
    }

    /// <summary>
    /// docs/scoring.md, computed here: base = 100 × (Σ non-unity points + W × Σ unity points) / (Σ non-unity maxima + W × Σ
    /// unity maxima); deductions: the most absences recorded × points each, up to the cap; basic = max(0, base − D); plus
    /// the bonus up to its maximum; rounded once, half away from zero. Ranked by score, share, id; the top level takes
    /// ⌊0.5 × the county's ranked branches⌋ per county at 90 with a unity share of 0.8; then 80 and 60 without limits.
    /// </summary>
    static List<(string Branch, decimal Score, decimal Share, int Rank, string Level)> Expected(string[] branches, Plan[] plans,
        string vetoed)
    {
        var scored = new List<(string Branch, string County, decimal Score, decimal Share)>();
        for (int i = 0; i < branches.Length; i++)
        {
            if (branches[i] == vetoed) continue;
            Plan p = plans[i];
            bool community = p.Category == BranchCategories.Community;
            // Community: governance 40, neighbourhood 60 unity, weight 1; village: 3 × 25 and unity 25 at weight 1.5.
            decimal numerator = community ? p.Points[0] + p.Points[1] : p.Points[0] + p.Points[1] + p.Points[2] + 1.5m * p.Points[3];
            decimal maximum = community ? 100m : 112.5m;
            decimal pointsEach = community ? 1m : 0.5m, cap = community ? 3m : 4m, bonusMax = community ? 2m : 3m;
            decimal deduction = Math.Min(cap, Math.Max(p.TownshipAbsences, p.CountyAbsences) * pointsEach);
            decimal exact = Math.Max(0m, 100m * numerator - deduction * maximum) / maximum + Math.Min(p.Honour, bonusMax);
            decimal share = community ? p.Points[1] / 60m : p.Points[3] / 25m;
            scored.Add((branches[i], CampaignDriver.CountyOf(branches[i]), Math.Round(exact, 2, MidpointRounding.AwayFromZero),
                Math.Round(share, 4, MidpointRounding.AwayFromZero)));
        }
        var ordered = scored.OrderByDescending(s => s.Score).ThenByDescending(s => s.Share)
            .ThenBy(s => s.Branch, StringComparer.Ordinal).ToList();
        var places = ordered.GroupBy(s => s.County).ToDictionary(g => g.Key, g => (int)Math.Floor(0.5m * g.Count()));
        var list = new List<(string, decimal, decimal, int, string)>();
        foreach (var s in ordered)
        {
            string level = s.Score >= 90 && s.Share >= 0.8m && places[s.County] > 0 ? "strongest"
                : s.Score >= 80 ? "advanced" : s.Score >= 60 ? "qualified" : Ranking.NoLevel;
            if (level == "strongest") places[s.County]--;
            list.Add((s.Branch, s.Score, s.Share, list.Count + 1, level));
        }
        return list;
    }
}
