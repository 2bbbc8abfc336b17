using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests;

/// <summary>Whole campaigns through HTTP on the local host and Azurite, checked against the rules by hand.</summary>
public sealed class CampaignFlowTests(LocalHostFixture fx) : IClassFixture<LocalHostFixture>, IDisposable
{
    readonly CampaignDriver driver = new(fx.Host);

    public void Dispose() => driver.Dispose();

    [Fact]
    public async Task A_24_branch_campaign_runs_to_published_ratings_that_match_the_formula()
    {
        TestCounty county = await driver.CreateCountyAsync(townships: 2, branchesPerTownship: 12);
        string campaign = await driver.CreateAndStartAsync(
            CampaignDriver.Campaign("e2e-" + Guid.NewGuid().ToString("N")[..8], county.Id), county.Id, 24);

        // Scores per branch: a spread of totals and unity points, so ranks, quotas and the unity gate all matter.
        var points = new Dictionary<string, decimal[]>();
        for (int i = 0; i < county.Branches.Count; i++)
        {
            decimal basePoints = 25 - (i % 12) * 1.5m;         // 25, 23.5, 22 ... 8.5
            decimal unity = i % 5 == 0 ? 18 : 25 - (i % 3);     // every fifth branch falls short on unity (18/25 = 0.72 < 0.8)
            points[county.Branches[i]] = [basePoints, basePoints, Math.Max(0, basePoints - 0.5m), unity];
        }
        string returned = county.Branches[1], rejected = county.Branches[2], vetoed = county.Branches[3];

        foreach (string b in county.Branches)
            await CampaignDriver.Expect(await driver.SubmitAsync(campaign, b, Scores(points[b])), HttpStatusCode.Accepted);

        foreach (string b in county.Branches)
        {
            await driver.WaitForStageAsync(campaign, b, "awaiting-township-review");
            if (b == returned)
                await CampaignDriver.Expect(await driver.ReviewAsync(campaign, b, "return", "请补充民族团结材料"),
                    HttpStatusCode.Accepted);
            else if (b == rejected)
                await CampaignDriver.Expect(await driver.ReviewAsync(campaign, b, "reject", "材料不实"), HttpStatusCode.Accepted);
            else
                await CampaignDriver.Expect(await driver.ReviewAsync(campaign, b, "approve"), HttpStatusCode.Accepted);
        }

        // The returned branch resubmits (round 1) and is approved this time.
        await driver.WaitForAsync(campaign, returned, e => e.GetProperty("round").GetInt32() == 1
            && e.GetProperty("stage").GetString() == "awaiting-self-assessment", "to be returned");
        await CampaignDriver.Expect(await driver.SubmitAsync(campaign, returned, Scores(points[returned]), "已补充材料"),
            HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, returned, "awaiting-township-review");
        await CampaignDriver.Expect(await driver.ReviewAsync(campaign, returned, "approve"), HttpStatusCode.Accepted);

        foreach (string b in county.Branches.Where(b => b != rejected))
        {
            await driver.WaitForStageAsync(campaign, b, "awaiting-county-score");
            await CampaignDriver.Expect(
                await driver.ScoreAsync(campaign, b, Scores(points[b]), veto: b == vetoed ? "ethnic-incident" : null),
                HttpStatusCode.Accepted);
        }
        foreach (string b in county.Branches) await driver.WaitForStageAsync(campaign, b, "done");

        JsonElement rejectedView = await driver.EvaluationAsync(campaign, rejected);
        Assert.Equal("rejected", rejectedView.GetProperty("outcome").GetString());
        Assert.Equal("vetoed", (await driver.EvaluationAsync(campaign, vetoed)).GetProperty("outcome").GetString());
        JsonElement returnedView = await driver.EvaluationAsync(campaign, returned);
        Assert.Equal("scored", returnedView.GetProperty("outcome").GetString());
        Assert.Contains(returnedView.GetProperty("history").EnumerateArray(),
            h => h.GetProperty("action").GetString() == "township-returned");

        // Publication opens the notice with the proposed list.
        HttpClient org = driver.As(Roles.OrgDepartment, county.Id);
        await CampaignDriver.Expect(await org.PostAsJsonAsync($"api/campaigns/{campaign}/publication", new { }), HttpStatusCode.Accepted);
        JsonElement notice = await Poll.UntilAsync<object>(async () =>
        {
            using HttpResponseMessage r = await fx.Http.GetAsync($"api/campaigns/{campaign}/ratings");
            if (r.StatusCode != HttpStatusCode.OK) return null;
            JsonElement body = await r.Content.ReadFromJsonAsync<JsonElement>();
            return body.GetProperty("status").GetString() == "publicity" ? body : null;
        }, TimeSpan.FromSeconds(60), "the public notice", () => fx.Host.Output) is JsonElement n ? n : default;

        List<Expected> expected = ExpectedRatings(
            county.Branches.Where(b => b != rejected && b != vetoed).Select(b => (b, points[b])).ToList());
        Assert.Equal(expected.Count, notice.GetProperty("ratings").GetArrayLength());

        // One objection upheld (that branch's level is revoked), one dismissed.
        string upheldBranch = expected.First(e => e.Level == "strongest").BranchId;
        string dismissedBranch = expected.Last().BranchId;
        string upheld = await FileObjectionAsync(campaign, upheldBranch);
        string dismissed = await FileObjectionAsync(campaign, dismissedBranch);
        // The organization department's list of what to resolve; another member does not see someone else's objection.
        JsonElement open = await org.GetFromJsonAsync<JsonElement>($"api/campaigns/{campaign}/objections?status=open");
        Assert.Equal(new[] { upheld, dismissed }.Order(),
            open.GetProperty("objections").EnumerateArray().Select(o => o.GetProperty("id").GetString()).Order());
        using HttpResponseMessage stranger = await driver.As(Roles.Member, county.Id, "someone-else")
            .GetAsync($"api/campaigns/{campaign}/objections/{upheld}");
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        using HttpResponseMessage badStatus = await org.GetAsync($"api/campaigns/{campaign}/objections?status=maybe");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badStatus.StatusCode);
        await CampaignDriver.Expect(
            await org.PostAsJsonAsync($"api/campaigns/{campaign}/objections/{upheld}/resolution",
                new { upheld = true, comment = "经核实属实" }), HttpStatusCode.OK);
        await CampaignDriver.Expect(
            await org.PostAsJsonAsync($"api/campaigns/{campaign}/objections/{dismissed}/resolution",
                new { upheld = false, comment = "经核实不属实" }), HttpStatusCode.OK);
        JsonElement upheldList = await org.GetFromJsonAsync<JsonElement>($"api/campaigns/{campaign}/objections?status=upheld");
        JsonElement upheldView = Assert.Single(upheldList.GetProperty("objections").EnumerateArray());
        Assert.Equal(upheldBranch, upheldView.GetProperty("branchId").GetString());
        Assert.Equal("经核实属实", upheldView.GetProperty("comment").GetString());
        // Its filer reads the outcome where the filing's Location pointed.
        JsonElement filerView = await driver.As(Roles.Member, CampaignDriver.TownshipOf(upheldBranch), "villager-" + upheldBranch)
            .GetFromJsonAsync<JsonElement>($"api/campaigns/{campaign}/objections/{upheld}");
        Assert.Equal("upheld", filerView.GetProperty("status").GetString());

        await Poll.UntilAsync(
            async () => (await driver.GetCampaignAsync(campaign, county.Id)).GetProperty("status").GetString() == "published" ? "ok" : null,
            TimeSpan.FromSeconds(60), "publication", () => fx.Host.Output);

        // The contract table, read straight from storage.
        var rows = new Dictionary<string, TableEntity>();
        await foreach (TableEntity row in fx.Table("Ratings").QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {campaign}")))
            rows[row.RowKey] = row;
        Assert.Equal(expected.Count, rows.Count);
        foreach (Expected e in expected)
        {
            TableEntity row = rows[e.BranchId];
            Assert.Equal((double)e.Score, row.GetDouble("Score")!.Value, 6);
            Assert.Equal((double)e.UnityShare, row.GetDouble("UnityShare")!.Value, 6);
            Assert.Equal(e.Rank, row.GetInt32("Rank"));
            Assert.Equal(e.BranchId == upheldBranch ? "revoked" : e.Level, row.GetString("Level"));
            Assert.False(string.IsNullOrEmpty(row.GetString("BranchName")));
            Assert.NotNull(row.GetDateTimeOffset("PublishedAt"));
        }
        Assert.Contains(expected, e => e.Level == "none" || e.Level == "qualified");

        JsonElement published = await fx.Http.GetFromJsonAsync<JsonElement>($"api/campaigns/{campaign}/ratings");
        Assert.Equal("published", published.GetProperty("status").GetString());
        using HttpResponseMessage late = await driver.As(Roles.Member, county.Id).PostAsJsonAsync($"api/campaigns/{campaign}/objections",
            new { branchId = dismissedBranch, text = "晚了" });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    async Task<string> FileObjectionAsync(string campaign, string branch)
    {
        HttpClient villager = driver.As(Roles.Member, CampaignDriver.TownshipOf(branch), "villager-" + branch);
        using HttpResponseMessage r = await villager.PostAsJsonAsync(
            $"api/campaigns/{campaign}/objections", new { branchId = branch, text = "群众反映该支部材料有误" });
        await CampaignDriver.Expect(r, HttpStatusCode.Accepted);
        string id = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        JsonElement filed = await villager.GetFromJsonAsync<JsonElement>(r.Headers.Location!.ToString());
        Assert.Equal("open", filed.GetProperty("status").GetString());
        Assert.Equal(id, filed.GetProperty("id").GetString());
        return id;
    }

    static object Scores(decimal[] p) => CampaignDriver.Scores(p[0], p[1], p[2], p[3]);

    sealed record Expected(string BranchId, decimal Score, decimal UnityShare, int Rank, string Level);

    /// <summary>The published list by the rules, computed here independently of the product code.</summary>
    static List<Expected> ExpectedRatings(List<(string Branch, decimal[] Points)> scored)
    {
        const decimal unityWeight = 1.5m;
        var computed = scored.Select(s =>
        {
            decimal final = Math.Round(
                100 * (s.Points[0] + s.Points[1] + s.Points[2] + unityWeight * s.Points[3]) / (75 + unityWeight * 25),
                2, MidpointRounding.AwayFromZero);
            decimal share = Math.Round(s.Points[3] / 25, 4, MidpointRounding.AwayFromZero);
            return (s.Branch, final, share);
        }).OrderByDescending(x => x.final).ThenByDescending(x => x.share).ThenBy(x => x.Branch, StringComparer.Ordinal).ToList();
        int n = computed.Count, strongestQuota = (int)Math.Floor(0.3m * n), strongest = 0;
        var result = new List<Expected>();
        for (int i = 0; i < n; i++)
        {
            var (branch, final, share) = computed[i];
            string level = final >= 90 && strongest < strongestQuota && share >= 0.8m ? "strongest"
                : final >= 80 ? "advanced" : final >= 60 ? "qualified" : "none";
            if (level == "strongest") strongest++;
            result.Add(new Expected(branch, final, share, i + 1, level));
        }
        return result;
    }
}
