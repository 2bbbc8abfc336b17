using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests;

/// <summary>GET /api/campaigns: each caller finds the campaigns at, above or below its unit, and no others.</summary>
public sealed class CampaignListTests(LocalHostFixture fx) : IClassFixture<LocalHostFixture>, IDisposable
{
    readonly CampaignDriver driver = new(fx.Host);

    public void Dispose() => driver.Dispose();

    [Fact]
    public async Task Each_caller_lists_the_campaigns_of_its_place_newest_first_and_by_status()
    {
        TestCounty a = await driver.CreateCountyAsync(1, 1), b = await driver.CreateCountyAsync(1, 1);
        string first = "ls-" + Guid.NewGuid().ToString("N")[..8], second = "ls-" + Guid.NewGuid().ToString("N")[..8],
            other = "ls-" + Guid.NewGuid().ToString("N")[..8];
        await CampaignDriver.Expect(await driver.CreateAsync(CampaignDriver.Campaign(first, a.Id)), HttpStatusCode.Created);
        await CampaignDriver.Expect(await driver.CreateAsync(CampaignDriver.Campaign(other, b.Id)), HttpStatusCode.Created);
        await driver.CreateAndStartAsync(CampaignDriver.Campaign(second, a.Id, "PT10M", "PT10M", "PT10M"), a.Id, 1);

        async Task<string[]> List(HttpClient client, string query = "") =>
            (await client.GetFromJsonAsync<JsonElement>("api/campaigns" + query)).GetProperty("campaigns").EnumerateArray()
                .Select(c => c.GetProperty("id").GetString()!).ToArray();

        // County A's department and a branch secretary below it: A's two, the newest first; the city sees all three.
        Assert.Equal([second, first], await List(driver.As(Roles.OrgDepartment, a.Id)));
        Assert.Equal([second, first], await List(driver.As(Roles.BranchSecretary, a.Branches[0])));
        Assert.Equal([second, other, first],
            (await List(driver.As(Roles.OrgDepartment, "chifeng"))).Where(new[] { first, second, other }.Contains));
        Assert.Equal([other], await List(driver.As(Roles.TownshipReviewer, CampaignDriver.TownshipOf(b.Branches[0]))));

        Assert.Equal([second], await List(driver.As(Roles.OrgDepartment, a.Id), "?status=running"));
        Assert.Equal([first], await List(driver.As(Roles.OrgDepartment, a.Id), "?status=created"));
        using HttpResponseMessage bad = await driver.As(Roles.OrgDepartment, a.Id).GetAsync("api/campaigns?status=finished");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
    }
}
