using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.LocalHost.Cli;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests;

/// <summary>A host whose inbox turns an item yellow 40 s before it is due, so statuses change while a test watches.</summary>
public sealed class InboxHostFixture : IAsyncLifetime
{
    public const int YellowSeconds = 40;
    public string Hub { get; } = LocalHostProcess.NewHubName();
    public string TablePrefix { get; } = "t" + Guid.NewGuid().ToString("N")[..8];
    public LocalHostProcess Host { get; private set; } = null!;
    public TableServiceClient Tables { get; } = new(AzuriteInstance.Shared.ConnectionString);

    public TableClient Table(string logicalName) => Tables.GetTableClient(TablePrefix + logicalName);

    public async Task InitializeAsync() =>
        Host = await LocalHostProcess.StartAsync(AzuriteInstance.Shared.ConnectionString, Hub,
            settings: new Dictionary<string, string>
            {
                ["Storage__TablePrefix"] = TablePrefix, ["Inbox__YellowWithin"] = $"PT{YellowSeconds}S",
            });

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// GET /api/inbox on the real host as campaigns move: each role sees what waits on it, and stops seeing it once done; the
/// statuses follow the clock; an overdue step shows for its overdue role; filters, search, order and paging; and nobody
/// sees what lies outside their unit.
/// </summary>
public sealed class InboxTests(InboxHostFixture fx) : IClassFixture<InboxHostFixture>, IDisposable
{
    readonly CampaignDriver driver = new(fx.Host);

    public void Dispose() => driver.Dispose();

    [Fact]
    public async Task Each_role_sees_its_step_as_the_evaluation_moves_and_an_overdue_step_shows_for_its_overdue_role()
    {
        TestCounty county = await driver.CreateCountyAsync(townships: 2, branchesPerTownship: 1);
        string branch = county.Branches[0], township = CampaignDriver.TownshipOf(branch), other = county.Branches[1];
        string id = "inbox-" + Guid.NewGuid().ToString("N")[..8];
        CampaignDefinition definition = CampaignDriver.Campaign(id, county.Id, "PT10M", "PT25S", "PT25S") with { ScorersPerBranch = 2 };
        definition = definition.WithAppraisal(ChifengCampaign.Appraisal with { Window = "PT10M" });
        await driver.CreateAndStartAsync(definition, county.Id, county.Branches.Count);
        string only = $"campaign={id}";

        // 1. The secretary's self-assessment, due in ten minutes: green, with where to read and act on it.
        HttpClient secretary = driver.As(Roles.BranchSecretary, branch);
        JsonElement item = Assert.Single(await ItemsAsync(secretary, only));
        Assert.Equal("self-assessment", item.GetProperty("kind").GetString());
        Assert.Equal(Roles.BranchSecretary, item.GetProperty("role").GetString());
        Assert.Equal("green", item.GetProperty("status").GetString());
        Assert.Equal(id, item.GetProperty("campaignId").GetString());
        Assert.Equal(definition.Title, item.GetProperty("campaignTitle").GetString());
        Assert.Equal(branch, item.GetProperty("branchId").GetString());
        Assert.Equal("第1苏木第1嘎查党支部", item.GetProperty("branchName").GetString());
        Assert.Equal(branch, item.GetProperty("unit").GetString());
        Assert.Equal($"/api/campaigns/{id}/evaluations/{branch}", item.GetProperty("link").GetString());
        Assert.Equal($"/api/campaigns/{id}/evaluations/{branch}/self-assessment", item.GetProperty("action").GetString());
        Assert.False(item.GetProperty("escalated").GetBoolean());
        JsonElement evaluation = await driver.EvaluationAsync(id, branch);
        Assert.Equal(evaluation.GetProperty("stageDeadline").GetDateTimeOffset(), item.GetProperty("due").GetDateTimeOffset());
        // Nobody else has anything of it yet; members vote only once the window opens with the self-assessment.
        Assert.Empty(await ItemsAsync(driver.As(Roles.TownshipReviewer, township), only));
        Assert.Empty(await ItemsAsync(driver.As(Roles.CountyScorer, county.Id), only));
        Assert.Empty(await ItemsAsync(driver.As(Roles.OrgDepartment, county.Id), only));
        Assert.Empty(await ItemsAsync(driver.As(Roles.Member, branch, "m-1"), only));

        // The members' roster: m-1 and m-2 may vote, m-3 may not.
        await CampaignDriver.Expect(await secretary.PutAsJsonAsync($"api/campaigns/{id}/evaluations/{branch}/appraisal/roster",
            new { members = new[] { "m-1", "m-2" } }), HttpStatusCode.OK);

        // 2. Submitted: the secretary's item goes, the township's reviewer sees the review (due in 25 s: yellow); the reviewer
        //    of the other township and the county's scorer (not yet overdue) do not.
        await CampaignDriver.Expect(await driver.SubmitAsync(id, branch, CampaignDriver.Scores(24, 24, 24, 24)), HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(id, branch, Stages.AwaitingTownshipReview);
        Assert.Empty(await ItemsAsync(secretary, only));
        HttpClient reviewer = driver.As(Roles.TownshipReviewer, township);
        item = Assert.Single(await ItemsAsync(reviewer, only));
        Assert.Equal(("township-review", "yellow", township), (item.GetProperty("kind").GetString(),
            item.GetProperty("status").GetString(), item.GetProperty("unit").GetString()));
        Assert.Empty(await ItemsAsync(driver.As(Roles.TownshipReviewer, CampaignDriver.TownshipOf(other)), only));
        Assert.DoesNotContain(await ItemsAsync(driver.As(Roles.CountyScorer, county.Id), only),
            i => i.GetProperty("kind").GetString() == "township-review");

        // The ballot, for members on the roster who have not voted, while the window is open.
        HttpClient m1 = driver.As(Roles.Member, branch, "m-1"), m2 = driver.As(Roles.Member, branch, "m-2");
        item = Assert.Single(await ItemsAsync(m1, only));
        Assert.Equal("appraisal-ballot", item.GetProperty("kind").GetString());
        Assert.Equal($"/api/campaigns/{id}/evaluations/{branch}/appraisal/ballots", item.GetProperty("action").GetString());
        Assert.Empty(await ItemsAsync(driver.As(Roles.Member, branch, "m-3"), only));
        Assert.Empty(await ItemsAsync(driver.As(Roles.Member, other, "m-1"), only));
        await CampaignDriver.Expect(await m1.PostAsJsonAsync(item.GetProperty("action").GetString()!.TrimStart('/'),
            new { choice = "satisfied" }), HttpStatusCode.Accepted);
        Assert.Empty(await ItemsAsync(m1, only));
        Assert.Single(await ItemsAsync(m2, only));

        // 3. Past the review's deadline: red for the reviewer, and the county's scorer sees it too, escalated.
        await WaitForAsync(reviewer, only, items => items is [var i] && i.GetProperty("status").GetString() == "red", "the review red");
        JsonElement[] escalated = await WaitForAsync(driver.As(Roles.CountyScorer, county.Id), only,
            items => items.Any(i => i.GetProperty("kind").GetString() == "township-review"), "the review escalated to the county");
        item = Assert.Single(escalated);
        Assert.Equal((Roles.CountyScorer, county.Id, true, "red"), (item.GetProperty("role").GetString(),
            item.GetProperty("unit").GetString(), item.GetProperty("escalated").GetBoolean(), item.GetProperty("status").GetString()));
        Assert.Single(await ItemsAsync(reviewer, $"{only}&overdue=true"));
        Assert.Empty(await ItemsAsync(reviewer, $"{only}&overdue=false"));

        // 4. Approved: the county's scorers see the score; each of the two scorers until it has scored.
        await CampaignDriver.Expect(await driver.ReviewAsync(id, branch, "approve"), HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(id, branch, Stages.AwaitingCountyScore);
        Assert.Empty(await ItemsAsync(reviewer, only));
        HttpClient scorer1 = driver.As(Roles.CountyScorer, county.Id, "scorer-1");
        HttpClient scorer2 = driver.As(Roles.CountyScorer, county.Id, "scorer-2");
        item = Assert.Single(await ItemsAsync(scorer1, only));
        Assert.Equal(("county-score", "yellow"), (item.GetProperty("kind").GetString(), item.GetProperty("status").GetString()));
        Assert.Empty(await ItemsAsync(driver.As(Roles.OrgDepartment, county.Id), only));
        await CampaignDriver.Expect(await driver.ScoreAsync(id, branch, CampaignDriver.Scores(24, 24, 24, 24), scorer: "scorer-1"),
            HttpStatusCode.Accepted);
        await driver.WaitForAsync(id, branch, e => e.GetProperty("scores").GetArrayLength() == 1, "to hold the first score");
        Assert.Empty(await ItemsAsync(scorer1, only));
        Assert.Single(await ItemsAsync(scorer2, only));

        // 5. Past the scoring deadline the organization department sees it, escalated: the county's, and the city's too
        //    (the city reads its counties' partitions).
        foreach (string unit in (string[])[county.Id, "chifeng"])
        {
            JsonElement[] org = await WaitForAsync(driver.As(Roles.OrgDepartment, unit), only, items => items.Length == 1,
                $"the score escalated to the organization department at {unit}");
            Assert.Equal(("county-score", true, county.Id), (org[0].GetProperty("kind").GetString(),
                org[0].GetProperty("escalated").GetBoolean(), org[0].GetProperty("unit").GetString()));
        }
        // The department of another county sees none of it.
        TestCounty elsewhere = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 1);
        Assert.Empty(await ItemsAsync(driver.As(Roles.OrgDepartment, elsewhere.Id), only));
    }

    [Fact]
    public async Task Filters_search_order_and_paging_without_loss_or_repeat()
    {
        TestCounty county = await driver.CreateCountyAsync(townships: 2, branchesPerTownship: 3);
        string id = "inbox-" + Guid.NewGuid().ToString("N")[..8];
        await driver.CreateAndStartAsync(CampaignDriver.Campaign(id, county.Id, "PT10M", "PT10M"), county.Id, county.Branches.Count);
        // Submitted one after another, so their reviews fall due in this order.
        foreach (string b in county.Branches)
            await CampaignDriver.Expect(await driver.SubmitAsync(id, b, CampaignDriver.Scores(24, 24, 24, 24)), HttpStatusCode.Accepted);
        foreach (string b in county.Branches) await driver.WaitForStageAsync(id, b, Stages.AwaitingTownshipReview);

        // A reviewer assigned at the county reads its townships' partitions, merged in due order.
        HttpClient reviewer = driver.As(Roles.TownshipReviewer, county.Id);
        string only = $"campaign={id}";
        JsonElement[] all = await ItemsAsync(reviewer, only);
        DateTimeOffset[] dues = [.. all.Select(i => i.GetProperty("due").GetDateTimeOffset())];
        Assert.Equal(county.Branches.Count, all.Length);
        Assert.Equal(dues.Order(), dues);
        Assert.Equal(county.Branches, all.Select(i => i.GetProperty("branchId").GetString()));

        // Pages of 4, 4... of 2: every item once, in order, and a last page without a token.
        var paged = new List<string>();
        string? token = null;
        int pages = 0;
        do
        {
            JsonElement page = await PageAsync(reviewer, $"{only}&pageSize=4" +
                (token is null ? "" : $"&continuationToken={Uri.EscapeDataString(token)}"));
            paged.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("branchId").GetString()!));
            token = page.TryGetProperty("continuationToken", out JsonElement t) && t.ValueKind == JsonValueKind.String
                ? t.GetString() : null;
            pages++;
        } while (token is not null);
        Assert.Equal(county.Branches, paged);
        Assert.Equal(2, pages);
        Assert.Equal(county.Branches.Take(1), (await PageAsync(reviewer, $"{only}&pageSize=1")).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("branchId").GetString()));
        // A token is bound to its filter.
        string first = (await PageAsync(reviewer, $"{only}&pageSize=1")).GetProperty("continuationToken").GetString()!;
        await ExpectProblemAsync(reviewer, $"{only}&kind=county-score&continuationToken={Uri.EscapeDataString(first)}", 422);

        // Filters: a township, a kind, a due time, a campaign, a search by name or id.
        string t02 = county.Id + ".t02";
        Assert.Equal(county.Branches.Where(b => b.StartsWith(t02 + ".", StringComparison.Ordinal)),
            (await ItemsAsync(reviewer, $"{only}&unit={t02}")).Select(i => i.GetProperty("branchId").GetString()));
        Assert.Empty(await ItemsAsync(reviewer, $"{only}&kind=county-score"));
        Assert.Equal(6, (await ItemsAsync(reviewer, $"{only}&kind=township-review")).Length);
        string middle = Uri.EscapeDataString(dues[3].ToString("O"));
        Assert.Equal(county.Branches.Take(3), (await ItemsAsync(reviewer, $"{only}&dueBefore={middle}"))
            .Select(i => i.GetProperty("branchId").GetString()));
        Assert.Empty(await ItemsAsync(reviewer, "campaign=no-such-campaign"));
        Assert.Equal([county.Branches[4]], (await ItemsAsync(reviewer, $"{only}&q={Uri.EscapeDataString("第2苏木第2嘎查")}"))
            .Select(i => i.GetProperty("branchId").GetString()));
        Assert.Equal([county.Branches[2]], (await ItemsAsync(reviewer, $"{only}&q=T01.B003"))
            .Select(i => i.GetProperty("branchId").GetString()));
        Assert.Equal(6, (await ItemsAsync(reviewer, $"{only}&overdue=false")).Length);
        Assert.Empty(await ItemsAsync(reviewer, $"{only}&overdue=true"));

        // Scope: a township's reviewer sees its own three only; another township's none of them; outside the unit is 403.
        Assert.Equal(county.Branches.Take(3), (await ItemsAsync(driver.As(Roles.TownshipReviewer, county.Id + ".t01"), only))
            .Select(i => i.GetProperty("branchId").GetString()));
        await ExpectProblemAsync(driver.As(Roles.TownshipReviewer, county.Id + ".t01"), $"unit={t02}", 403);
        Assert.Empty(await ItemsAsync(driver.As(Roles.TownshipReviewer, "chifeng.elsewhere.t01"), only));
        // Assigned at a branch, a reviewer takes only that branch's review (read from its township's partition).
        Assert.Equal([county.Branches[1]], (await ItemsAsync(driver.As(Roles.TownshipReviewer, county.Branches[1]), only))
            .Select(i => i.GetProperty("branchId").GetString()));

        // Bad values are 422 at their /query/ pointer.
        foreach (var (query, pointer) in new[]
                 {
                     ("kind=nothing", "/query/kind"), ("pageSize=0", "/query/pageSize"), ("pageSize=201", "/query/pageSize"),
                     ("overdue=yes", "/query/overdue"), ("dueBefore=tomorrow", "/query/dueBefore"), ("unit=Chifeng", "/query/unit"),
                     ("campaign=A", "/query/campaign"), ("q=%E2%80%AEabc", "/query/q"),
                     ("continuationToken=abc", "/query/continuationToken"),
                 })
        {
            JsonElement problem = await ExpectProblemAsync(reviewer, query, 422);
            Assert.Equal(pointer, problem.GetProperty("errors")[0].GetProperty("pointer").GetString());
        }
        using HttpResponseMessage anonymous = await fx.Host.Http.GetAsync("api/inbox");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    static async Task<JsonElement> PageAsync(HttpClient client, string query)
    {
        using HttpResponseMessage r = await client.GetAsync($"api/inbox?{query}");
        string body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"GET api/inbox?{query} answered {(int)r.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    static async Task<JsonElement[]> ItemsAsync(HttpClient client, string query) =>
        [.. (await PageAsync(client, query)).GetProperty("items").EnumerateArray()];

    async Task<JsonElement[]> WaitForAsync(HttpClient client, string query, Func<JsonElement[], bool> condition, string what)
    {
        JsonElement[] last = [];
        return (await Poll.UntilAsync<JsonElement[]>(async () =>
        {
            last = await ItemsAsync(client, query);
            return condition(last) ? last : null;
        }, TimeSpan.FromSeconds(90), what, () => $"last seen: {string.Join(", ", last)}\n{fx.Host.Output}"));
    }

    static async Task<JsonElement> ExpectProblemAsync(HttpClient client, string query, int status)
    {
        using HttpResponseMessage r = await client.GetAsync($"api/inbox?{query}");
        string body = await r.Content.ReadAsStringAsync();
        Assert.True((int)r.StatusCode == status, $"GET api/inbox?{query}: expected {status}, got {(int)r.StatusCode}: {body}");
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
