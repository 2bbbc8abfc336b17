using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests;

/// <summary>
/// The organization department's inbox after the scores: an objection during the notice waits on the department of the
/// campaign's unit until resolved; a proposed change of an honour waits on the county's department until its decision is
/// due, then on the campaign unit's only (escalated), until decided. On a city campaign of its own host, so that the
/// city's department reads the county's partitions.
/// </summary>
public sealed class InboxDecisionTests(InboxHostFixture fx) : IClassFixture<InboxHostFixture>, IDisposable
{
    readonly CampaignDriver driver = new(fx.Host);

    public void Dispose() => driver.Dispose();

    [Fact]
    public async Task Objections_and_honour_changes_wait_on_the_department_that_decides_until_decided()
    {
        TestCounty county = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 3);
        string id = "inbox-dec-" + Guid.NewGuid().ToString("N")[..8];
        CampaignDefinition definition = CampaignDriver.Campaign(id, "chifeng", publicity: "PT40S") with
        {
            HonourChanges = new HonourChangeRules { DecisionWithin = "PT20S" },
        };
        await driver.CreateAndStartAsync(definition, "chifeng", county.Branches.Count);
        await driver.ScoreAllAsync(id, county);
        HttpClient city = driver.As(Roles.OrgDepartment, "chifeng"), countyOrg = driver.As(Roles.OrgDepartment, county.Id);
        await CampaignDriver.Expect(await city.PostAsJsonAsync($"api/campaigns/{id}/publication", new { }), HttpStatusCode.Accepted);
        await driver.RatingsAsync(id, "publicity");
        string only = $"campaign={id}";

        // 1. An objection waits on the department of the campaign's unit (the city's), not the county's, until resolved.
        string target = county.Branches[1];
        using HttpResponseMessage filed = await driver.As(Roles.Member, county.Branches[0], "villager")
            .PostAsJsonAsync($"api/campaigns/{id}/objections", new { branchId = target, text = "请核实台账" });
        await CampaignDriver.Expect(filed, HttpStatusCode.Accepted);
        string objectionId = (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        JsonElement item = Assert.Single(await ItemsAsync(city, only));
        Assert.Equal(("objection", objectionId, "chifeng", target), (item.GetProperty("kind").GetString(),
            item.GetProperty("id").GetString(), item.GetProperty("unit").GetString(), item.GetProperty("branchId").GetString()));
        Assert.Equal($"/api/campaigns/{id}/objections/{objectionId}/resolution", item.GetProperty("action").GetString());
        JsonElement campaign = await driver.GetCampaignAsync(id, "chifeng");
        Assert.Equal(campaign.GetProperty("publicityEndsAt").GetDateTimeOffset(), item.GetProperty("due").GetDateTimeOffset());
        Assert.Equal("yellow", item.GetProperty("status").GetString());
        Assert.Empty(await ItemsAsync(countyOrg, only));
        await CampaignDriver.Expect(await city.PostAsJsonAsync(item.GetProperty("action").GetString()!.TrimStart('/'),
            new { upheld = false, comment = "经核实属实" }), HttpStatusCode.OK);
        Assert.Empty(await ItemsAsync(city, only));

        // 2. Published, a scorer proposes to revoke a title: the county's department decides it (the city's may too).
        await driver.RatingsAsync(id, "published", seconds: 120);
        string branch = county.Branches[0];
        using HttpResponseMessage proposed = await driver.As(Roles.CountyScorer, county.Id).PostAsJsonAsync(
            $"api/campaigns/{id}/honours/{branch}/changes",
            new { kind = "revoke", reasonCategory = "veto", description = "发生一票否决事项" });
        await CampaignDriver.Expect(proposed, HttpStatusCode.Accepted);
        string changeId = (await proposed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changeId").GetString()!;
        item = Assert.Single(await ItemsAsync(countyOrg, only));
        Assert.Equal(("honour-change", changeId, county.Id, false), (item.GetProperty("kind").GetString(),
            item.GetProperty("id").GetString(), item.GetProperty("unit").GetString(), item.GetProperty("escalated").GetBoolean()));
        Assert.Equal($"/api/campaigns/{id}/honours/{branch}/changes/{changeId}/decision", item.GetProperty("action").GetString());
        Assert.Equal(changeId, Assert.Single(await ItemsAsync(city, only)).GetProperty("id").GetString());

        // 3. Past its due time only the department of the campaign's unit decides: the county's stops seeing it at once,
        //    and once the workflow marks it overdue the city's sees it escalated, red.
        await Poll.UntilAsync(async () => (await ItemsAsync(countyOrg, only)).Length == 0 ? "gone" : null, TimeSpan.FromSeconds(60),
            "the change to leave the county's inbox", () => fx.Host.Output);
        item = (await Poll.UntilAsync(async () => (await ItemsAsync(city, only)) is [var i] && i.GetProperty("escalated").GetBoolean()
            ? (object)i : null, TimeSpan.FromSeconds(60), "the change escalated to the city", () => fx.Host.Output) as JsonElement?)!.Value;
        Assert.Equal(("chifeng", "red"), (item.GetProperty("unit").GetString(), item.GetProperty("status").GetString()));
        Assert.Empty(await ItemsAsync(countyOrg, only));

        // 4. Decided: it waits on nobody.
        await CampaignDriver.Expect(await city.PostAsJsonAsync(item.GetProperty("action").GetString()!.TrimStart('/'),
            new { approve = false, comment = "证据不足" }), HttpStatusCode.Accepted);
        Assert.Empty(await ItemsAsync(city, only));
        Assert.Empty(await ItemsAsync(countyOrg, only));
    }

    static async Task<JsonElement[]> ItemsAsync(HttpClient client, string query)
    {
        using HttpResponseMessage r = await client.GetAsync($"api/inbox?{query}");
        string body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"GET api/inbox?{query} answered {(int)r.StatusCode}: {body}");
        return [.. JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray().Select(i => i.Clone())];
    }
}
