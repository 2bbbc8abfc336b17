using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests;

/// <summary>
/// Objections cannot jam a campaign: only people inside its unit object, one open objection per person and branch,
/// the list is paged, many are resolved with one finding (each audited); and a resolution's Idempotency-Key binds its
/// decision even when its first attempt failed half-way. One campaign under public notice (10 minutes) per fixture;
/// each test works on its own branch and with its own people.
/// </summary>
public sealed class ObjectionTests(LocalHostFixture fx) : IClassFixture<LocalHostFixture>
{
    [Fact]
    public async Task Only_people_inside_the_campaign_object_and_each_has_one_open_objection_per_branch()
    {
        World w = await WorldAsync(fx);
        string branch = w.County.Branches[0];
        string township = CampaignDriver.TownshipOf(branch);

        // Outside the campaign's unit (a sibling county, the city above it), or with no role the API knows: refused.
        await ExpectProblemAsync(await File(w.Driver.As(Roles.Member, w.Sibling.Id, "outsider"), w, branch), 403);
        await ExpectProblemAsync(await File(w.Driver.As(Roles.OrgDepartment, "chifeng", "city-org"), w, branch), 403);

        HttpClient villager = w.Driver.As(Roles.Member, township, "villager-a");
        string first = await FiledIdAsync(await File(villager, w, branch));
        // A second one on the same branch while the first is open: 409, naming the open one.
        using HttpResponseMessage again = await File(villager, w, branch, "又一次");
        JsonElement problem = await ExpectProblemAsync(again, 409);
        Assert.Equal(first, problem.GetProperty("objectionId").GetString());
        // Another person, or another branch, is another matter.
        await FiledIdAsync(await File(w.Driver.As(Roles.Member, township, "villager-b"), w, branch));
        await FiledIdAsync(await File(villager, w, w.County.Branches[3]));

        // Once the first is resolved, the same person may object to the branch again.
        await CampaignDriver.Expect(await w.Org.PostAsJsonAsync($"api/campaigns/{w.Campaign}/objections/{first}/resolution",
            new { upheld = false, comment = "经核实不属实" }), HttpStatusCode.OK);
        await FiledIdAsync(await File(villager, w, branch, "补充了新的线索"));

        // Anyone but the organization department lists its own objections only.
        JsonElement own = await villager.GetFromJsonAsync<JsonElement>($"api/campaigns/{w.Campaign}/objections");
        Assert.Equal(3, own.GetProperty("objections").GetArrayLength());
        Assert.All(own.GetProperty("objections").EnumerateArray(),
            o => Assert.Equal("villager-a", o.GetProperty("filedBy").GetProperty("id").GetString()));
        JsonElement none = await w.Driver.As(Roles.TownshipReviewer, township, "reviewer-x")
            .GetFromJsonAsync<JsonElement>($"api/campaigns/{w.Campaign}/objections");
        Assert.Equal(0, none.GetProperty("objections").GetArrayLength());
    }

    [Fact]
    public async Task A_member_sees_the_notice_of_a_campaign_it_may_object_in_and_no_evaluation()
    {
        World w = await WorldAsync(fx);
        HttpClient member = w.Driver.As(Roles.Member, CampaignDriver.TownshipOf(w.County.Branches[0]), "reader");

        JsonElement campaign = await member.GetFromJsonAsync<JsonElement>($"api/campaigns/{w.Campaign}");
        Assert.Equal("publicity", campaign.GetProperty("status").GetString());
        Assert.True(campaign.TryGetProperty("publicityEndsAt", out _));
        Assert.False(campaign.TryGetProperty("definition", out _), campaign.ToString());
        Assert.False(campaign.TryGetProperty("evaluations", out _), campaign.ToString());
        JsonElement list = await member.GetFromJsonAsync<JsonElement>("api/campaigns");
        Assert.Contains(list.GetProperty("campaigns").EnumerateArray(), c => c.GetProperty("id").GetString() == w.Campaign);

        await ExpectProblemAsync(await member.GetAsync($"api/campaigns/{w.Campaign}/evaluations/{w.County.Branches[0]}"), 403);
        await ExpectProblemAsync(await member.GetAsync($"api/campaigns/{w.Campaign}/evaluations"), 403);
        await ExpectProblemAsync(await member.GetAsync($"api/units/{w.County.Id}"), 403);
        // Outside the campaign's unit a member sees nothing of it.
        HttpClient outsider = w.Driver.As(Roles.Member, w.Sibling.Id, "outsider");
        await ExpectProblemAsync(await outsider.GetAsync($"api/campaigns/{w.Campaign}"), 403);
        JsonElement none = await outsider.GetFromJsonAsync<JsonElement>("api/campaigns");
        Assert.DoesNotContain(none.GetProperty("campaigns").EnumerateArray(), c => c.GetProperty("id").GetString() == w.Campaign);
    }

    [Fact]
    public async Task The_objection_list_is_paged_in_the_order_of_filing()
    {
        World w = await WorldAsync(fx);
        string branch = w.County.Branches[1];
        var filed = new List<string>();
        for (int i = 0; i < 5; i++)
            filed.Add(await FiledIdAsync(await File(w.Driver.As(Roles.Member, w.County.Id, $"pager-{i}"), w, branch)));

        var seen = new List<string>();
        string url = $"api/campaigns/{w.Campaign}/objections?status=open&pageSize=2";
        string? token = null;
        do
        {
            string next = token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token);
            JsonElement page = await w.Org.GetFromJsonAsync<JsonElement>(url + next);
            Assert.True(page.GetProperty("objections").GetArrayLength() <= 2);
            seen.AddRange(page.GetProperty("objections").EnumerateArray().Select(o => o.GetProperty("id").GetString()!));
            token = page.GetProperty("continuationToken").GetString();
            // A page token belongs to its listing: given to another (no status filter), it is refused.
            if (token is not null)
                await ExpectProblemAsync(
                    await w.Org.GetAsync($"api/campaigns/{w.Campaign}/objections?continuationToken={Uri.EscapeDataString(token)}"), 422);
        }
        while (token is not null);
        List<string> mine = [.. seen.Where(filed.Contains)];
        Assert.Equal(filed, mine); // every one, once, oldest first
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
        await ExpectProblemAsync(await w.Org.GetAsync($"api/campaigns/{w.Campaign}/objections?pageSize=0"), 422);
    }

    [Fact]
    public async Task Many_objections_take_one_finding_and_each_is_resolved_and_audited_on_its_own()
    {
        World w = await WorldAsync(fx);
        string branch = w.County.Branches[2];
        string[] ids = new string[3];
        for (int i = 0; i < ids.Length; i++)
            ids[i] = await FiledIdAsync(await File(w.Driver.As(Roles.Member, w.County.Id, $"bulk-{i}"), w, branch));
        string url = $"api/campaigns/{w.Campaign}/objection-resolutions";

        // An id that does not exist: 422 at its place, and nothing is resolved.
        string unknown = "obj-" + new string('f', 32);
        JsonElement invalid = await ExpectProblemAsync(
            await w.Org.PostAsJsonAsync(url, new { objectionIds = new[] { ids[0], unknown }, upheld = false, comment = "x" }), 422);
        Assert.Equal("/objectionIds/1", invalid.GetProperty("errors")[0].GetProperty("pointer").GetString());
        Assert.Equal("open", (await ObjectionAsync(w, ids[0])).GetProperty("status").GetString());
        // Only the organization department resolves.
        await ExpectProblemAsync(await w.Driver.As(Roles.CountyScorer, w.County.Id).PostAsJsonAsync(url,
            new { objectionIds = new[] { ids[0] }, upheld = false, comment = "x" }), 403);

        using HttpResponseMessage dismissed = await w.Org.PostAsJsonAsync(url,
            new { objectionIds = ids[..2], upheld = false, comment = "同一事项，经核实不属实" });
        await CampaignDriver.Expect(dismissed, HttpStatusCode.OK);
        JsonElement first = await dismissed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ids[..2], first.GetProperty("resolved").EnumerateArray().Select(o => o.GetProperty("id").GetString()!).ToArray());
        Assert.Equal(0, first.GetProperty("alreadyResolved").GetArrayLength());

        // The second finding covers one already dismissed (left as it is) and the third (upheld: the level is revoked).
        using HttpResponseMessage upheld = await w.Org.PostAsJsonAsync(url,
            new { objectionIds = ids[1..], upheld = true, comment = "属实" });
        await CampaignDriver.Expect(upheld, HttpStatusCode.OK);
        JsonElement second = await upheld.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ids[2], Assert.Single(second.GetProperty("resolved").EnumerateArray()).GetProperty("id").GetString());
        JsonElement left = Assert.Single(second.GetProperty("alreadyResolved").EnumerateArray());
        Assert.Equal((ids[1], "dismissed"), (left.GetProperty("id").GetString(), left.GetProperty("status").GetString()));
        Assert.Equal("dismissed", (await ObjectionAsync(w, ids[1])).GetProperty("status").GetString());
        // The campaign's workflow revokes it when the resolution's event arrives; the public list shows it within seconds.
        await Poll.UntilAsync(async () => await ProposedLevelAsync(w, branch) == "revoked" ? "revoked" : null,
            TimeSpan.FromSeconds(30), "the upheld branch's level revoked on the public list", () => fx.Host.Output);
        Assert.Equal("revoked", (await ProposedLevelAsync(w, branch)));

        // One audit link per resolution, and the chain holds.
        List<string> links = await AuditEntriesAsync(w);
        foreach (string id in ids[..2]) Assert.Single(links, l => l.Contains("objection-dismissed") && l.Contains(id));
        Assert.Single(links, l => l.Contains("objection-upheld") && l.Contains(ids[2]));
        JsonElement verify = await w.Org.GetFromJsonAsync<JsonElement>($"api/campaigns/{w.Campaign}/audit/verify");
        Assert.True(verify.GetProperty("intact").GetBoolean(), verify.ToString());
    }

    /// <summary>
    /// The failure is real: a link in the campaign's audit chain that cannot be read makes the resolution's audit append
    /// fail after the objection was stored as resolved. Retried under the same key with the other decision, nothing of
    /// that decision happens; with the same body, the first decision is finished.
    /// </summary>
    [Fact]
    public async Task A_resolution_that_failed_between_its_writes_keeps_its_decision_under_its_key()
    {
        World w = await WorldAsync(fx);
        string branch = w.County.Branches[3];
        string id = await FiledIdAsync(await File(w.Driver.As(Roles.Member, w.County.Id, "binder"), w, branch));
        string url = $"api/campaigns/{w.Campaign}/objections/{id}/resolution";
        string dismiss = """{"upheld":false,"comment":"经核实不属实"}""";
        string uphold = """{"upheld":true,"comment":"经核实不属实"}""";

        TableClient audit = fx.Table("Audit");
        var broken = new TableEntity(w.Campaign, "campaign|999999") { ["Entry"] = "not json", ["Hash"] = "0" };
        await audit.AddEntityAsync(broken);
        using (HttpResponseMessage failed = await Post(w.Org, url, dismiss, "resolve-1"))
            Assert.True((int)failed.StatusCode >= 500, $"the audit append should have failed: {(int)failed.StatusCode}");
        await audit.DeleteEntityAsync(w.Campaign, broken.RowKey);
        Assert.Equal("dismissed", (await ObjectionAsync(w, id)).GetProperty("status").GetString()); // the first write happened

        // The same key with the other decision: 422, and the branch keeps its level.
        await ExpectProblemAsync(await Post(w.Org, url, uphold, "resolve-1"), 422);
        Assert.NotEqual("revoked", await ProposedLevelAsync(w, branch));

        // The same key and body: the first decision is finished (its audit link, once).
        using HttpResponseMessage finished = await Post(w.Org, url, dismiss, "resolve-1");
        await CampaignDriver.Expect(finished, HttpStatusCode.OK);
        Assert.Equal("dismissed", (await finished.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Single(await AuditEntriesAsync(w), l => l.Contains("objection-dismissed") && l.Contains(id));

        // Even with the key's record gone, another body under the key does not resume that work: the objection is
        // found resolved (409) and its stored decision stands.
        string keyRow = Sha256($"{Roles.OrgDepartment}@{w.County.Id}\nPOST\n/{url}\nresolve-1");
        await fx.Table("IdempotencyKeys").DeleteEntityAsync(keyRow, "");
        await ExpectProblemAsync(await Post(w.Org, url, uphold, "resolve-1"), 409);
        Assert.Equal("dismissed", (await ObjectionAsync(w, id)).GetProperty("status").GetString());
        Assert.NotEqual("revoked", await ProposedLevelAsync(w, branch));
        Assert.DoesNotContain(await AuditEntriesAsync(w), l => l.Contains("objection-upheld") && l.Contains(id));
    }

    // ---- The shared campaign and helpers.

    sealed record World(TestCounty County, TestCounty Sibling, string Campaign, CampaignDriver Driver)
    {
        public HttpClient Org => Driver.As(Roles.OrgDepartment, County.Id);
    }

    static readonly PerFixture<World> Worlds = new();

    static Task<World> WorldAsync(LocalHostFixture fx) => Worlds.GetAsync(fx, () => BuildWorldAsync(fx));

    static async Task<World> BuildWorldAsync(LocalHostFixture fx)
    {
        var driver = new CampaignDriver(fx.Host); // kept for the fixture's lifetime: its clients are the callers
        TestCounty county = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 4);
        TestCounty sibling = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 1);
        string id = "obj-" + Guid.NewGuid().ToString("N")[..8];
        CampaignDefinition definition = CampaignDriver.Campaign(id, county.Id, "PT10M", "PT10M", "PT10M", "PT10M");
        await driver.CreateAndStartAsync(definition, county.Id, county.Branches.Count);
        await driver.ToNoticeAsync(id, county);
        return new World(county, sibling, id, driver);
    }

    static Task<HttpResponseMessage> File(HttpClient client, World w, string branch, string text = "群众反映该支部材料有误") =>
        client.PostAsJsonAsync($"api/campaigns/{w.Campaign}/objections", new { branchId = branch, text });

    static async Task<string> FiledIdAsync(HttpResponseMessage filed)
    {
        using (filed)
        {
            await CampaignDriver.Expect(filed, HttpStatusCode.Accepted);
            return (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }
    }

    static async Task<JsonElement> ObjectionAsync(World w, string id) =>
        await w.Org.GetFromJsonAsync<JsonElement>($"api/campaigns/{w.Campaign}/objections/{id}");

    async Task<string?> ProposedLevelAsync(World w, string branch)
    {
        using HttpResponseMessage r = await fx.Http.GetAsync($"api/campaigns/{w.Campaign}/ratings");
        JsonElement list = await r.Content.ReadFromJsonAsync<JsonElement>();
        return list.GetProperty("ratings").EnumerateArray()
            .Single(x => x.GetProperty("branchId").GetString() == branch).GetProperty("level").GetString();
    }

    async Task<List<string>> AuditEntriesAsync(World w)
    {
        var entries = new List<string>();
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {w.Campaign}");
        await foreach (TableEntity e in fx.Table("Audit").QueryAsync<TableEntity>(filter))
            entries.Add(e.GetString("Entry") ?? "");
        return entries;
    }

    static Task<HttpResponseMessage> Post(HttpClient client, string url, string body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    static async Task<JsonElement> ExpectProblemAsync(HttpResponseMessage r, int status)
    {
        using (r)
        {
            string body = await r.Content.ReadAsStringAsync();
            Assert.True((int)r.StatusCode == status,
                $"{r.RequestMessage?.Method} {r.RequestMessage?.RequestUri} answered {(int)r.StatusCode}, expected {status}: {body}");
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            return JsonDocument.Parse(body).RootElement.Clone();
        }
    }

    static string Sha256(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
