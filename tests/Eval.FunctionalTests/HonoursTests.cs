using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests;

/// <summary>
/// After publication: the honours register (its list, filters, pages and scope; a branch's history), a title's public page
/// (JSON and a browser's page), the plaque's QR codes read back by an independent decoder, and the signed list verified
/// by an independent JOSE implementation.
///
/// One county of four branches runs two campaigns, one after the other: the earlier (year 2025) leaves its fourth branch
/// without a level; the later (year 2026) rates all four and so supersedes the earlier's titles. Then the later's title
/// of the third branch is dated two years back, so that it shows expired though it is stored active.
/// </summary>
public sealed partial class HonoursTests(LocalHostFixture fx) : IClassFixture<LocalHostFixture>
{
    /// <summary>A branch name that would be markup if a page wrote it as it is.</summary>
    const string HostileName = "第1嘎查<script>alert(\"x\")</script>&amp;<img src=x onerror=alert(1)>'党支部";

    sealed record World(TestCounty County, TestCounty Sibling, string Earlier, string Later, JsonElement RegisterAfterEarlier,
        JsonElement EarlierRatings, JsonElement LaterRatings)
    {
        public string B(int i) => County.Branches[i];
    }

    static readonly PerFixture<World> Worlds = new();

    Task<World> WorldAsync() => Worlds.GetAsync(fx, BuildAsync);

    async Task<World> BuildAsync()
    {
        using var driver = new CampaignDriver(fx.Host);
        TestCounty county = await driver.CreateCountyAsync(townships: 2, branchesPerTownship: 2);
        TestCounty sibling = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 1);
        using (HttpResponseMessage renamed = await driver.As(Roles.OrgDepartment, "chifeng").PutAsJsonAsync("api/units",
                   new { units = new[] { new { id = county.Branches[0], name = HostileName, kind = "branch" } } }))
            await CampaignDriver.Expect(renamed, HttpStatusCode.OK);

        string earlier = "hon-a-" + Guid.NewGuid().ToString("N")[..8];
        JsonElement earlierRatings = await PublishAsync(driver, earlier, county, 2025, i => i == 3 ? [10, 10, 10, 10] : [24, 24, 24, 24]);
        JsonElement register = await ListAsync(driver.As(Roles.OrgDepartment, county.Id), $"unit={county.Id}&year=2025");

        string later = "hon-b-" + Guid.NewGuid().ToString("N")[..8];
        JsonElement laterRatings = await PublishAsync(driver, later, county, 2026, null);
        // The later list superseded the earlier titles: the earlier list is signed again.
        await Poll.UntilAsync(async () =>
        {
            using HttpResponseMessage r = await fx.Http.GetAsync($"api/campaigns/{earlier}/ratings.jws");
            return r.Headers.TryGetValues("X-Statement-Version", out var v) && v.Single() == "2" ? "ok" : null;
        }, TimeSpan.FromSeconds(60), "the earlier list signed again", () => fx.Host.Output);

        // The later title of the third branch, published two years ago as far as the register knows: past its year.
        TableClient honours = fx.Table(EvalTablesHonours);
        TableEntity row = (await honours.GetEntityAsync<TableEntity>(later, county.Branches[2])).Value;
        DateTimeOffset longAgo = DateTimeOffset.UtcNow.AddYears(-2);
        row["PublishedAt"] = longAgo;
        row["Since"] = longAgo;
        await honours.UpdateEntityAsync(row, row.ETag);
        return new World(county, sibling, earlier, later, register, earlierRatings, laterRatings);
    }

    const string EvalTablesHonours = "Honours";

    async Task<JsonElement> PublishAsync(CampaignDriver driver, string id, TestCounty county, int year, Func<int, decimal[]>? points)
    {
        await driver.CreateAndStartAsync(CampaignDriver.Campaign(id, county.Id) with { Year = year }, county.Id, county.Branches.Count);
        await driver.ScoreAllAsync(id, county, points);
        await CampaignDriver.Expect(await driver.As(Roles.OrgDepartment, county.Id)
            .PostAsJsonAsync($"api/campaigns/{id}/publication", new { }), HttpStatusCode.Accepted);
        JsonElement published = await driver.RatingsAsync(id, "published", 90);
        await Poll.UntilAsync(async () =>
        {
            using HttpResponseMessage r = await fx.Http.GetAsync($"api/campaigns/{id}/ratings.jws");
            return r.StatusCode == HttpStatusCode.OK ? "ok" : null;
        }, TimeSpan.FromSeconds(60), $"campaign {id}'s signed list", () => fx.Host.Output);
        return published;
    }

    static async Task<JsonElement> ListAsync(HttpClient client, string query)
    {
        using HttpResponseMessage r = await client.GetAsync("api/honours?" + query);
        await CampaignDriver.Expect(r, HttpStatusCode.OK);
        return await r.Content.ReadFromJsonAsync<JsonElement>();
    }

    static List<(string Campaign, string Branch)> Keys(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray()
            .Select(i => (i.GetProperty("campaignId").GetString()!, i.GetProperty("branchId").GetString()!))];

    static IEnumerable<JsonElement> Levelled(JsonElement ratings) => ratings.GetProperty("ratings").EnumerateArray()
        .Where(r => r.GetProperty("level").GetString() is not ("none" or "revoked"));

    // ---- The register.

    [Fact]
    public async Task Publication_enters_each_levelled_branch_in_the_register_as_active_and_only_those()
    {
        World w = await WorldAsync();
        List<JsonElement> levelled = [.. Levelled(w.EarlierRatings)];
        Assert.Equal(3, levelled.Count);
        Assert.DoesNotContain(levelled, r => r.GetProperty("branchId").GetString() == w.B(3));
        JsonElement[] items = [.. w.RegisterAfterEarlier.GetProperty("items").EnumerateArray()];
        Assert.Equal(levelled.Select(r => r.GetProperty("branchId").GetString()).Order(),
            items.Select(i => i.GetProperty("branchId").GetString()).Order());
        DateTimeOffset publishedAt = w.EarlierRatings.GetProperty("publishedAt").GetDateTimeOffset();
        foreach (JsonElement item in items)
        {
            JsonElement rating = levelled.Single(r => r.GetProperty("branchId").GetString() == item.GetProperty("branchId").GetString());
            Assert.Equal(w.Earlier, item.GetProperty("campaignId").GetString());
            Assert.Equal("测试旗2026年度最强党支部评定", item.GetProperty("campaignTitle").GetString());
            Assert.Equal(2025, item.GetProperty("year").GetInt32());
            Assert.Equal(rating.GetProperty("branchName").GetString(), item.GetProperty("branchName").GetString());
            Assert.Equal(rating.GetProperty("level").GetString(), item.GetProperty("level").GetString());
            Assert.Equal(rating.GetProperty("level").GetString(), item.GetProperty("currentLevel").GetString());
            Assert.Equal("active", item.GetProperty("status").GetString());
            Assert.Equal(publishedAt, item.GetProperty("since").GetDateTimeOffset());
            Assert.Equal(publishedAt.AddYears(1), item.GetProperty("validUntil").GetDateTimeOffset());
            Assert.Equal(JsonValueKind.Null, item.GetProperty("reasonCategory").ValueKind);
        }
        Assert.Equal(HostileName, items.Single(i => i.GetProperty("branchId").GetString() == w.B(0)).GetProperty("branchName").GetString());
    }

    [Fact]
    public async Task The_register_filters_by_unit_level_year_and_status_as_it_stands_now()
    {
        World w = await WorldAsync();
        HttpClient org = fx.Host.As(Roles.OrgDepartment, w.County.Id);
        JsonElement whole = await ListAsync(org, $"unit={w.County.Id}&pageSize=200");
        // Newest campaign first, in branch order within one.
        List<(string, string)> expected =
            [.. w.County.Branches.Select(b => (w.Later, b)), .. w.County.Branches.Take(3).Select(b => (w.Earlier, b))];
        Assert.Equal(expected, Keys(whole));
        Assert.Equal(JsonValueKind.Null, whole.GetProperty("continuationToken").ValueKind);
        Assert.Equal(expected, Keys(await ListAsync(org, "pageSize=200"))); // the caller's unit by default

        Assert.Equal(expected.Where(k => k.Item1 == w.Earlier), Keys(await ListAsync(org, "year=2025")));
        Assert.Equal(expected.Where(k => k.Item1 == w.Later), Keys(await ListAsync(org, "year=2026")));
        Assert.Empty(Keys(await ListAsync(org, "year=2024")));

        Assert.Equal([(w.Later, w.B(0)), (w.Later, w.B(1)), (w.Later, w.B(3))], Keys(await ListAsync(org, "status=active")));
        JsonElement expired = await ListAsync(org, "status=expired");
        Assert.Equal([(w.Later, w.B(2)), (w.Earlier, w.B(0)), (w.Earlier, w.B(1)), (w.Earlier, w.B(2))], Keys(expired));
        JsonElement pastItsYear = expired.GetProperty("items")[0];
        Assert.Equal(pastItsYear.GetProperty("validUntil").GetDateTimeOffset(), pastItsYear.GetProperty("since").GetDateTimeOffset());
        JsonElement superseded = expired.GetProperty("items")[1];
        Assert.Equal("superseded", superseded.GetProperty("reasonCategory").GetString());
        Assert.Equal(w.LaterRatings.GetProperty("publishedAt").GetDateTimeOffset(), superseded.GetProperty("since").GetDateTimeOffset());
        Assert.Equal([(w.Later, w.B(2))], Keys(await ListAsync(org, "status=expired&year=2026")));
        Assert.Empty(Keys(await ListAsync(org, "status=revoked")));
        Assert.Empty(Keys(await ListAsync(org, "status=downgraded")));

        foreach (string level in whole.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("level").GetString()!).Distinct())
            Assert.Equal(whole.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("level").GetString() == level)
                .Select(i => (i.GetProperty("campaignId").GetString()!, i.GetProperty("branchId").GetString()!)),
                Keys(await ListAsync(org, $"level={level}")));
        Assert.Empty(Keys(await ListAsync(org, "level=no-such-level")));

        string township = CampaignDriver.TownshipOf(w.B(0));
        Assert.Equal(expected.Where(k => k.Item2.StartsWith(township + ".", StringComparison.Ordinal)),
            Keys(await ListAsync(org, $"unit={township}")));
        Assert.Equal([(w.Later, w.B(0)), (w.Earlier, w.B(0))], Keys(await ListAsync(org, $"unit={w.B(0)}")));
        Assert.Equal([(w.Later, w.B(3))], Keys(await ListAsync(org, $"unit={w.B(3)}")));
        // The city's department sees the county's titles among its own.
        Assert.Equal(expected, Keys(await ListAsync(fx.Host.As(Roles.OrgDepartment, "chifeng"), $"unit={w.County.Id}")));
    }

    [Fact]
    public async Task The_register_pages_across_campaigns_without_losing_or_repeating_a_title()
    {
        World w = await WorldAsync();
        HttpClient org = fx.Host.As(Roles.OrgDepartment, w.County.Id);
        foreach (string filter in new[] { "", "&status=expired", "&status=active", "&level=advanced" })
        {
            List<(string, string)> all = Keys(await ListAsync(org, "pageSize=200" + filter));
            foreach (int size in new[] { 1, 2, 3 })
            {
                var walked = new List<(string, string)>();
                string? token = null;
                for (int pages = 0; ; pages++)
                {
                    Assert.True(pages < 20, "too many pages");
                    JsonElement page = await ListAsync(org, $"pageSize={size}{filter}" +
                        (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)));
                    List<(string, string)> keys = Keys(page);
                    Assert.True(keys.Count <= size);
                    walked.AddRange(keys);
                    token = page.GetProperty("continuationToken").GetString();
                    if (token is null) break;
                }
                Assert.Equal(all, walked);
            }
        }

        JsonElement first = await ListAsync(org, "pageSize=1");
        string firstToken = first.GetProperty("continuationToken").GetString()!;
        // A token sealed for one listing is refused by another (another status, unit or page of nonsense).
        foreach (string query in new[] { "status=active", $"unit={CampaignDriver.TownshipOf(w.B(0))}", "year=2026" })
            await AssertInvalidAsync(org, $"{query}&pageSize=1&continuationToken={Uri.EscapeDataString(firstToken)}",
                "/query/continuationToken");
        await AssertInvalidAsync(org, "continuationToken=not-a-token", "/query/continuationToken");
    }

    [Theory]
    [InlineData("year=twenty", "/query/year")]
    [InlineData("year=1999", "/query/year")]
    [InlineData("status=withdrawn", "/query/status")]
    [InlineData("level=Top%20Level", "/query/level")]
    [InlineData("pageSize=0", "/query/pageSize")]
    [InlineData("pageSize=201", "/query/pageSize")]
    [InlineData("unit=Not.A.Unit", "/query/unit")]
    public async Task Values_that_do_not_fit_are_422_at_their_pointer(string query, string pointer)
    {
        World w = await WorldAsync();
        await AssertInvalidAsync(fx.Host.As(Roles.OrgDepartment, w.County.Id), query, pointer);
    }

    static async Task AssertInvalidAsync(HttpClient client, string query, string pointer)
    {
        using HttpResponseMessage r = await client.GetAsync("api/honours?" + query);
        string body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.UnprocessableEntity, $"{query}: {(int)r.StatusCode} {body}");
        Assert.Contains(pointer, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_register_is_read_within_the_callers_scope()
    {
        World w = await WorldAsync();
        string township = CampaignDriver.TownshipOf(w.B(0)), otherTownship = CampaignDriver.TownshipOf(w.B(2));
        async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
        {
            using HttpResponseMessage r = await client.GetAsync(path);
            return r.StatusCode;
        }

        HttpClient siblingOrg = fx.Host.As(Roles.OrgDepartment, w.Sibling.Id), reviewer = fx.Host.As(Roles.TownshipReviewer, township);
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(siblingOrg, $"api/honours?unit={w.County.Id}"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(reviewer, $"api/honours?unit={otherTownship}"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(reviewer, $"api/honours?unit={w.County.Id}"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(fx.Host.As(Roles.Member, w.B(0)), "api/honours"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(fx.Http, "api/honours"));
        // Each working role sees its own unit by default: the sibling county's department, none of these titles.
        Assert.Empty(Keys(await ListAsync(fx.Host.As(Roles.OrgDepartment, w.Sibling.Id), "")));
        Assert.Equal([(w.Later, w.B(0)), (w.Later, w.B(1)), (w.Earlier, w.B(0)), (w.Earlier, w.B(1))],
            Keys(await ListAsync(fx.Host.As(Roles.TownshipReviewer, township), "")));
        Assert.Equal([(w.Later, w.B(1)), (w.Earlier, w.B(1))], Keys(await ListAsync(fx.Host.As(Roles.BranchSecretary, w.B(1)), "")));
        Assert.Equal([(w.Later, w.B(3))],
            Keys(await ListAsync(fx.Host.As(Roles.CountyScorer, w.County.Id), "status=active&unit=" + w.B(3))));

        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(siblingOrg, $"api/units/{w.B(0)}/honours"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(fx.Host.As(Roles.BranchSecretary, w.B(1)), $"api/units/{w.B(0)}/honours"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(fx.Host.As(Roles.Member, w.B(0)), $"api/units/{w.B(0)}/honours"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(fx.Http, $"api/units/{w.B(0)}/honours"));
    }

    [Fact]
    public async Task A_branchs_history_lists_its_titles_across_campaigns_newest_first()
    {
        World w = await WorldAsync();
        JsonElement history = await fx.Host.As(Roles.BranchSecretary, w.B(0)).GetFromJsonAsync<JsonElement>($"api/units/{w.B(0)}/honours");
        Assert.Equal(w.B(0), history.GetProperty("branchId").GetString());
        JsonElement[] titles = [.. history.GetProperty("honours").EnumerateArray()];
        Assert.Equal([w.Later, w.Earlier], titles.Select(t => t.GetProperty("campaignId").GetString()));
        Assert.Equal(["active", "expired"], titles.Select(t => t.GetProperty("status").GetString()));
        Assert.Equal([2026, 2025], titles.Select(t => t.GetProperty("year").GetInt32()));
        Assert.Equal("superseded", titles[1].GetProperty("reasonCategory").GetString());

        JsonElement fourth = await fx.Host.As(Roles.TownshipReviewer, CampaignDriver.TownshipOf(w.B(3)))
            .GetFromJsonAsync<JsonElement>($"api/units/{w.B(3)}/honours");
        Assert.Equal([w.Later], fourth.GetProperty("honours").EnumerateArray().Select(t => t.GetProperty("campaignId").GetString()));

        JsonElement none = await fx.Host.As(Roles.OrgDepartment, w.Sibling.Id)
            .GetFromJsonAsync<JsonElement>($"api/units/{w.Sibling.Branches[0]}/honours");
        Assert.Empty(none.GetProperty("honours").EnumerateArray());
        using HttpResponseMessage notABranch =
            await fx.Host.As(Roles.OrgDepartment, w.County.Id).GetAsync($"api/units/{w.County.Id}/honours");
        Assert.Equal(HttpStatusCode.NotFound, notABranch.StatusCode);
    }

    // ---- The public page.

    string PageUrl(string campaign, string branch) => $"http://localhost:{fx.Host.HttpPort}/api/public/honours/{campaign}/{branch}";

    [Fact]
    public async Task Superseding_links_the_ended_titles_in_the_earlier_campaigns_chain_which_verifies_against_its_new_list()
    {
        World w = await WorldAsync();
        string[] ended = [w.B(0), w.B(1), w.B(2)];
        List<JsonElement> links = [];
        string chain =
            TableClient.CreateQueryFilter($"PartitionKey eq {w.Earlier} and RowKey ge {"campaign|"} and RowKey lt {"campaign}"}");
        await foreach (TableEntity e in fx.Table("Audit").QueryAsync<TableEntity>(chain))
            links.Add(JsonDocument.Parse(e.GetString("Entry")).RootElement);
        JsonElement link = Assert.Single(links, l => l.GetProperty("action").GetString() == "honours-superseded");
        Assert.Equal($"3 titles superseded by {w.Later}", link.GetProperty("detail").GetString());
        // The content is the digest of the later campaign and the ended titles' branches, in order.
        Assert.Equal(AuditContent.Of(new { supersededBy = w.Later, branches = ended.Order(StringComparer.Ordinal).ToArray() }),
            link.GetProperty("content").GetString());

        // The earlier campaign's chain and register agree with its list signed again (version 2).
        JsonElement verified = await fx.Host.As(Roles.OrgDepartment, w.County.Id)
            .GetFromJsonAsync<JsonElement>($"api/campaigns/{w.Earlier}/audit/verify");
        Assert.True(verified.GetProperty("intact").GetBoolean(), verified.ToString());
    }

    [Fact]
    public async Task The_public_page_answers_json_with_the_signed_list_it_comes_from()
    {
        World w = await WorldAsync();
        string path = $"api/public/honours/{w.Later}/{w.B(0)}";
        using HttpResponseMessage r = await fx.Http.GetAsync(path);
        await CampaignDriver.Expect(r, HttpStatusCode.OK);
        Assert.Equal("application/json", r.Content.Headers.ContentType?.MediaType);
        Assert.True(r.Headers.CacheControl is { Public: true } cc && cc.MaxAge == TimeSpan.FromSeconds(60), $"{r.Headers.CacheControl}");
        EntityTagHeaderValue etag = r.Headers.ETag ?? throw new Xunit.Sdk.XunitException("no ETag");
        JsonElement page = await r.Content.ReadFromJsonAsync<JsonElement>();
        JsonElement rating = w.LaterRatings.GetProperty("ratings").EnumerateArray()
            .Single(x => x.GetProperty("branchId").GetString() == w.B(0));

        Assert.Equal(w.B(0), page.GetProperty("branchId").GetString());
        Assert.Equal(HostileName, page.GetProperty("branchName").GetString());
        Assert.Equal(rating.GetProperty("level").GetString(), page.GetProperty("level").GetString());
        Assert.Equal(rating.GetProperty("level").GetString(), page.GetProperty("currentLevel").GetString());
        Assert.Contains(page.GetProperty("levelTitle").GetString(), new[] { "最强党支部", "先进党支部", "合格党支部" });
        Assert.Equal("active", page.GetProperty("status").GetString());
        Assert.Equal(w.LaterRatings.GetProperty("publishedAt").GetDateTimeOffset(), page.GetProperty("since").GetDateTimeOffset());
        Assert.Equal(w.Later, page.GetProperty("campaign").GetProperty("id").GetString());
        Assert.Equal(2026, page.GetProperty("campaign").GetProperty("year").GetInt32());
        Assert.Equal(PageUrl(w.Later, w.B(0)), page.GetProperty("url").GetString());
        Assert.False(page.TryGetProperty("reason", out _)); // the description stays with the roles in scope

        JsonElement statement = page.GetProperty("statement");
        Assert.Equal(1, statement.GetProperty("version").GetInt32());
        string listUrl = statement.GetProperty("url").GetString()!;
        Assert.Equal($"http://localhost:{fx.Host.HttpPort}/api/campaigns/{w.Later}/ratings.jws?version=1", listUrl);
        byte[] jws = await fx.Http.GetByteArrayAsync(listUrl);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(jws)), statement.GetProperty("sha256").GetString());
        JsonElement keys = await fx.Http.GetFromJsonAsync<JsonElement>("api/keys");
        Assert.Contains(statement.GetProperty("kid").GetString(),
            keys.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()));
        JsonElement entry = statement.GetProperty("entry");
        Assert.Equal(w.B(0), entry.GetProperty("branchId").GetString());
        Assert.Equal(rating.GetProperty("rank").GetInt32(), entry.GetProperty("rank").GetInt32());
        Assert.Equal("active", entry.GetProperty("status").GetString());

        using (var again = new HttpRequestMessage(HttpMethod.Get, path))
        {
            again.Headers.TryAddWithoutValidation("If-None-Match", etag.Tag);
            using HttpResponseMessage notModified = await fx.Http.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }

        // The earlier title, superseded: expired, and so in the earlier list as signed again.
        JsonElement old = await fx.Http.GetFromJsonAsync<JsonElement>($"api/public/honours/{w.Earlier}/{w.B(0)}");
        Assert.Equal("expired", old.GetProperty("status").GetString());
        Assert.Equal("superseded", old.GetProperty("reasonCategory").GetString());
        Assert.Equal(2, old.GetProperty("statement").GetProperty("version").GetInt32());
        Assert.Equal("expired", old.GetProperty("statement").GetProperty("entry").GetProperty("status").GetString());

        string[] untitled =
            [$"{w.Earlier}/{w.B(3)}", $"no-such-campaign/{w.B(0)}", $"{w.Later}/{w.Sibling.Branches[0]}", $"{w.Later}/NOT-A-UNIT"];
        foreach (string missing in untitled)
        {
            using HttpResponseMessage none = await fx.Http.GetAsync($"api/public/honours/{missing}");
            Assert.True(none.StatusCode == HttpStatusCode.NotFound, $"{missing}: {(int)none.StatusCode}");
        }
    }

    [GeneratedRegex("<([a-zA-Z][a-zA-Z0-9]*)")]
    private static partial Regex Element();

    static readonly string[] PageElements =
        ["html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "p", "dl", "dt", "dd", "ul", "li", "a", "code"];

    [Fact]
    public async Task A_browser_gets_a_page_in_chinese_that_no_branch_name_can_add_markup_to()
    {
        World w = await WorldAsync();
        string html = await PageAsync($"api/public/honours/{w.Later}/{w.B(0)}", "text/html,application/xhtml+xml,*/*;q=0.8");
        Assert.Contains("<html lang=\"zh-CN\">", html, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode(HostileName), html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.All(Element().Matches(html).Select(m => m.Groups[1].Value), e => Assert.Contains(e, PageElements));
        Assert.Contains("荣誉状态：有效", html, StringComparison.Ordinal);
        Assert.Contains("2026年度", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"http://localhost:{fx.Host.HttpPort}/api/campaigns/{w.Later}/ratings.jws?version=1\"", html,
            StringComparison.Ordinal);
        Assert.Contains($"href=\"http://localhost:{fx.Host.HttpPort}/api/keys\"", html, StringComparison.Ordinal);

        string old = await PageAsync($"api/public/honours/{w.Earlier}/{w.B(1)}", "text/html");
        Assert.Contains("荣誉状态：已到期", old, StringComparison.Ordinal);
        Assert.Contains("已由新一届评定结果取代", old, StringComparison.Ordinal);
        Assert.Contains("2025年度", old, StringComparison.Ordinal);
        string pastItsYear = await PageAsync($"api/public/honours/{w.Later}/{w.B(2)}", "text/html");
        Assert.Contains("荣誉状态：已到期", pastItsYear, StringComparison.Ordinal);

        // A client that asks for JSON as much as for a page gets JSON.
        using var both = new HttpRequestMessage(HttpMethod.Get, $"api/public/honours/{w.Later}/{w.B(0)}");
        both.Headers.TryAddWithoutValidation("Accept", "application/json, text/html");
        using HttpResponseMessage json = await fx.Http.SendAsync(both);
        Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
    }

    async Task<string> PageAsync(string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using HttpResponseMessage r = await fx.Http.SendAsync(request);
        await CampaignDriver.Expect(r, HttpStatusCode.OK);
        Assert.Equal("text/html", r.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", r.Content.Headers.ContentType?.CharSet);
        Assert.StartsWith("default-src 'none'", r.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("Accept", r.Headers.Vary);
        return await r.Content.ReadAsStringAsync();
    }

    // ---- The plaque's QR codes, read back by jsQR.

    [Fact]
    public async Task The_qr_codes_decode_to_the_page_address_whatever_host_the_request_names()
    {
        World w = await WorldAsync();
        string expected = PageUrl(w.Later, w.B(0));
        string dir = Directory.CreateTempSubdirectory("eval-qr-").FullName;
        try
        {
            foreach (string kind in new[] { "png", "svg" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"api/public/honours/{w.Later}/{w.B(0)}/qr.{kind}");
                request.Headers.Host = "evil.example"; // a forged Host must not move the code elsewhere
                using HttpResponseMessage r = await fx.Http.SendAsync(request);
                await CampaignDriver.Expect(r, HttpStatusCode.OK);
                Assert.Equal(kind == "png" ? "image/png" : "image/svg+xml", r.Content.Headers.ContentType?.MediaType);
                Assert.True(r.Headers.CacheControl is { Public: true } cc && cc.MaxAge >= TimeSpan.FromDays(365)
                    && cc.Extensions.Any(e => e.Name == "immutable"), $"{r.Headers.CacheControl}");
                byte[] body = await r.Content.ReadAsByteArrayAsync();
                if (kind == "svg")
                {
                    XDocument svg = XDocument.Parse(Encoding.UTF8.GetString(body)); // well-formed XML
                    Assert.Equal("svg", svg.Root!.Name.LocalName);
                    Assert.DoesNotContain(svg.Descendants(), e => e.Name.LocalName is "script" or "foreignObject");
                }
                string file = Path.Combine(dir, "qr." + kind);
                await File.WriteAllBytesAsync(file, body);
                NodeReaders.Run read = await NodeReaders.ReadQrAsync(file);
                Assert.True(read.ExitCode == 0, $"qr.{kind}: {read.Error}");
                Assert.Equal(expected, read.Output);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        using HttpResponseMessage none = await fx.Http.GetAsync($"api/public/honours/{w.Earlier}/{w.B(3)}/qr.png");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    // ---- The signed list, verified by jose.

    [Fact]
    public async Task The_signed_list_verifies_with_jose_and_one_changed_payload_byte_does_not()
    {
        World w = await WorldAsync();
        string dir = Directory.CreateTempSubdirectory("eval-jws-").FullName;
        try
        {
            string keysFile = Path.Combine(dir, "keys.json"), jwsFile = Path.Combine(dir, "list.jws");
            await File.WriteAllBytesAsync(keysFile, await fx.Http.GetByteArrayAsync("api/keys"));
            string jws = await fx.Http.GetStringAsync($"api/campaigns/{w.Later}/ratings.jws");
            await File.WriteAllTextAsync(jwsFile, jws);

            NodeReaders.Run verified = await NodeReaders.VerifyJwsAsync(jwsFile, keysFile);
            Assert.True(verified.ExitCode == 0, verified.Error);
            JsonNode result = JsonNode.Parse(verified.Output)!;
            Assert.Equal("ES256", result["header"]!["alg"]!.GetValue<string>());
            JsonNode payload = result["payload"]!;
            Assert.Equal(w.Later, payload["campaignId"]!.GetValue<string>());
            JsonElement[] published = [.. w.LaterRatings.GetProperty("ratings").EnumerateArray()];
            JsonArray signed = payload["ratings"]!.AsArray();
            Assert.Equal(published.Length, signed.Count);
            foreach (JsonElement p in published)
            {
                JsonNode s = signed.Single(x => x!["branchId"]!.GetValue<string>() == p.GetProperty("branchId").GetString())!;
                Assert.Equal(p.GetProperty("branchName").GetString(), s["name"]!.GetValue<string>());
                Assert.Equal(p.GetProperty("rank").GetInt32(), s["rank"]!.GetValue<int>());
                Assert.Equal(p.GetProperty("score").GetDecimal(), s["score"]!.GetValue<decimal>());
                Assert.Equal(p.GetProperty("level").GetString(), s["level"]!.GetValue<string>());
            }

            // One byte of the payload changed (a digit of a score), the header and the signature kept.
            string[] parts = jws.Split('.');
            byte[] bytes = Base64UrlDecode(parts[1]);
            int at = Encoding.UTF8.GetString(bytes).IndexOf("\"score\":", StringComparison.Ordinal) + "\"score\":".Length;
            bytes[at] = bytes[at] == (byte)'9' ? (byte)'8' : (byte)'9';
            await File.WriteAllTextAsync(jwsFile, $"{parts[0]}.{Base64UrlEncode(bytes)}.{parts[2]}");
            NodeReaders.Run refused = await NodeReaders.VerifyJwsAsync(jwsFile, keysFile);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("ERR_JWS_SIGNATURE_VERIFICATION_FAILED", refused.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    static byte[] Base64UrlDecode(string s) => System.Buffers.Text.Base64Url.DecodeFromChars(s);

    static string Base64UrlEncode(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
