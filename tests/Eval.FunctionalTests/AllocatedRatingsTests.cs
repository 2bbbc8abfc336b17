using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests;

/// <summary>
/// Places handed down to townships, and ranking within categories, through the whole campaign: four branches in two
/// townships all score the same, so the ranking alone (ties by branch id) would give a top level of two places to the
/// first township's two branches.
/// </summary>
public sealed class AllocatedRatingsTests(LocalHostFixture fx) : IClassFixture<LocalHostFixture>, IDisposable
{
    readonly CampaignDriver driver = new(fx.Host);

    public void Dispose() => driver.Dispose();

    async Task<Dictionary<string, string>> LevelsAsync(string campaign)
    {
        JsonElement list = await fx.Http.GetFromJsonAsync<JsonElement>($"api/campaigns/{campaign}/ratings");
        return list.GetProperty("ratings").EnumerateArray()
            .ToDictionary(r => r.GetProperty("branchId").GetString()![^8..], r => r.GetProperty("level").GetString()!);
    }

    /// <summary>The test campaign with half the ranked branches for the top level, changed by <paramref name="top"/>.</summary>
    static CampaignDefinition HalfTheTop(string id, string county, Func<Level, Level> top)
    {
        CampaignDefinition c = CampaignDriver.Campaign(id, county, publicity: "PT5M");
        return c with { Levels = [top(c.Levels[0] with { Quota = 0.5m }), .. c.Levels.Skip(1)] };
    }

    [Fact]
    public async Task Each_township_and_each_category_fills_its_own_places()
    {
        TestCounty county = await driver.CreateCountyAsync(2, 2);
        string[] categories = [BranchCategories.Village, BranchCategories.Community, BranchCategories.Village, BranchCategories.Community];
        await CampaignDriver.Expect(await driver.As(Roles.OrgDepartment, "chifeng").PutAsJsonAsync("api/units", new
        {
            units = county.Branches.Select((b, i) =>
                new { id = b, name = $"第{i + 1}党支部", kind = "branch", category = categories[i] }),
        }), HttpStatusCode.OK);

        string byTownship = await driver.CreateAndStartAsync(HalfTheTop("at-" + Guid.NewGuid().ToString("N")[..8], county.Id,
            top => top with { Allocation = new QuotaAllocation(UnitKinds.Township) }), county.Id, 4);
        await driver.ToNoticeAsync(byTownship, county);
        // ⌊0.5 × 2⌋ = 1 place in each township: its first branch.
        Assert.Equal(new Dictionary<string, string>
        {
            ["t01.b001"] = "strongest", ["t01.b002"] = "advanced", ["t02.b001"] = "strongest", ["t02.b002"] = "advanced",
        }, await LevelsAsync(byTownship));

        string byCategory = await driver.CreateAndStartAsync(HalfTheTop("ac-" + Guid.NewGuid().ToString("N")[..8], county.Id,
            top => top) with { RankWithinCategory = true }, county.Id, 4);
        await driver.ToNoticeAsync(byCategory, county);
        // ⌊0.5 × 2⌋ = 1 place for the villages (t01.b001, t02.b001) and 1 for the communities (t01.b002, t02.b002).
        Assert.Equal(new Dictionary<string, string>
        {
            ["t01.b001"] = "strongest", ["t01.b002"] = "strongest", ["t02.b001"] = "advanced", ["t02.b002"] = "advanced",
        }, await LevelsAsync(byCategory));
    }
}
