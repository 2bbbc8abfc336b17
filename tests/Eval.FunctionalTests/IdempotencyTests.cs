using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;
using Eval.LocalHost.Cli;

namespace Eval.FunctionalTests;

/// <summary>Idempotency-Key: a retried POST gets the first answer and changes nothing.</summary>
public sealed class IdempotencyTests(LocalHostFixture fx) : IClassFixture<LocalHostFixture>, IDisposable
{
    readonly CampaignDriver driver = new(fx.Host);

    public void Dispose() => driver.Dispose();

    [Fact]
    public async Task A_retried_request_gets_the_first_answer_and_another_body_under_the_same_key_is_refused()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 1);
        string branch = county.Branches[0];
        string id = "ik-" + Guid.NewGuid().ToString("N")[..8];
        HttpClient org = driver.As(Roles.OrgDepartment, county.Id);
        string definition = CampaignDriver.Campaign(id, county.Id, "PT10M", "PT10M", "PT10M").RequestBody().ToJsonString();

        // Creating a campaign twice with one key: both 201 with the same body and Location (without the key: 409).
        using HttpResponseMessage created = await Post(org, "api/campaigns", definition, "create-1");
        using HttpResponseMessage again = await Post(org, "api/campaigns", definition, "create-1");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(created.Headers.Location, again.Headers.Location);
        Assert.Equal(await created.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        using HttpResponseMessage withoutKey = await Post(org, "api/campaigns", definition, null);
        Assert.Equal(HttpStatusCode.Conflict, withoutKey.StatusCode);

        await CampaignDriver.Expect(await Post(org, $"api/campaigns/{id}/start", "", "start-1"), HttpStatusCode.Accepted);
        await Poll.UntilAsync(async () =>
            (await driver.GetCampaignAsync(id, county.Id)).GetProperty("branchCount").ValueKind == JsonValueKind.Number ? "ok" : null,
            TimeSpan.FromSeconds(60), "the campaign to start", () => fx.Host.Output);

        // A self-assessment retried with its key: 202 both times, one submission recorded.
        HttpClient secretary = driver.As(Roles.BranchSecretary, branch);
        string url = $"api/campaigns/{id}/evaluations/{branch}/self-assessment";
        string body = """{"scores":{"political":20,"organization":20,"service":20,"unity":20},"summary":"第一次提交"}""";
        using HttpResponseMessage first = await Post(secretary, url, body, "submit-1");
        using HttpResponseMessage retry = await Post(secretary, url, body, "submit-1");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());

        // The same key with another body is refused.
        using HttpResponseMessage other = await Post(secretary, url, body.Replace("第一次", "第二次"), "submit-1");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);

        JsonElement e = await driver.WaitForStageAsync(id, branch, "awaiting-township-review");
        Assert.Equal("第一次提交", e.GetProperty("submission").GetProperty("assessment").GetProperty("summary").GetString());
        Assert.Single(e.GetProperty("history").EnumerateArray(), h => h.GetProperty("action").GetString() == "self-assessment-submitted");

        // Keys belong to their caller: another secretary's key "submit-1" is a different key (and is refused for scope).
        using HttpResponseMessage stranger = await Post(driver.As(Roles.BranchSecretary, county.Id + ".t01.b999"), url, body, "submit-1");
        Assert.Equal(HttpStatusCode.Forbidden, stranger.StatusCode);
    }

    /// <summary>
    /// The state a host leaves when it is killed after claiming a submission and before raising its event: the key
    /// "running", the claim stored with the key's operation id, no event sent. Written here directly, then retried.
    /// </summary>
    [Fact]
    public async Task A_retry_finishes_a_submission_whose_process_died_after_claiming_it()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 2);
        string id = "cr-" + Guid.NewGuid().ToString("N")[..8];
        await driver.CreateAndStartAsync(CampaignDriver.Campaign(id, county.Id, "PT10M", "PT10M", "PT10M"), county.Id, 2);
        string branch = county.Branches[0], other = county.Branches[1];
        string body = """{"scores":{"political":20,"organization":20,"service":20,"unity":20},"summary":"崩溃前提交"}""";

        string KeyRow(string b, string key) =>
            Sha256($"{Roles.BranchSecretary}@{b}\nPOST\n/api/campaigns/{id}/evaluations/{b}/self-assessment\n{key}");
        async Task LeaveHalfDone(string b, string key, DateTimeOffset at)
        {
            string operation = OperationOf(KeyRow(b, key), body);
            await fx.Table("IdempotencyKeys").AddEntityAsync(new TableEntity(KeyRow(b, key), "")
            {
                ["BodyHash"] = Sha256Bytes(Encoding.UTF8.GetBytes(body)), ["State"] = "running", ["At"] = at,
            });
            await fx.Table("Evaluations").UpdateEntityAsync(new TableEntity(id, b)
            {
                ["Claims"] = JsonSerializer.Serialize(new[] { $"awaiting-self-assessment:0#op={operation}" }),
            }, Azure.ETag.All, TableUpdateMode.Merge);
        }

        // Abandoned a minute ago: the retry takes the key over, finds its own claim, raises the event: 202, recorded once.
        await LeaveHalfDone(branch, "crash-1", DateTimeOffset.UtcNow.AddMinutes(-1));
        HttpClient secretary = driver.As(Roles.BranchSecretary, branch);
        string url = $"api/campaigns/{id}/evaluations/{branch}/self-assessment";
        using HttpResponseMessage retried = await Post(secretary, url, body, "crash-1");
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        JsonElement e = await driver.WaitForStageAsync(id, branch, "awaiting-township-review");
        Assert.Single(e.GetProperty("history").EnumerateArray(), h => h.GetProperty("action").GetString() == "self-assessment-submitted");
        Assert.Equal("崩溃前提交", e.GetProperty("submission").GetProperty("assessment").GetProperty("summary").GetString());
        // Another request (another key) is still refused: the round was claimed once.
        using HttpResponseMessage fresh = await Post(secretary, url, body, "crash-2");
        Assert.Equal(HttpStatusCode.Conflict, fresh.StatusCode);

        // Still running a moment ago: the retry is told to come back, and nothing moves.
        await LeaveHalfDone(other, "busy-1", DateTimeOffset.UtcNow);
        using HttpResponseMessage busy = await Post(driver.As(Roles.BranchSecretary, other),
            $"api/campaigns/{id}/evaluations/{other}/self-assessment", body, "busy-1");
        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
        Assert.Contains("try again shortly", await busy.Content.ReadAsStringAsync());
        Assert.Equal("awaiting-self-assessment", (await driver.EvaluationAsync(id, other)).GetProperty("stage").GetString());
    }

    /// <summary>
    /// A refusal changes nothing, so no answer is kept under its key: the same request with the same key is judged again
    /// later (here: sent before the campaign started, then once it has). The key stays bound to its body all the same.
    /// </summary>
    [Fact]
    public async Task A_refusal_is_not_kept_and_the_same_key_runs_again_once_the_state_allows_it()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 1);
        string branch = county.Branches[0];
        string id = "rf-" + Guid.NewGuid().ToString("N")[..8];
        HttpClient org = driver.As(Roles.OrgDepartment, county.Id);
        await CampaignDriver.Expect(await driver.CreateAsync(CampaignDriver.Campaign(id, county.Id, "PT10M", "PT10M", "PT10M")),
            HttpStatusCode.Created);

        HttpClient secretary = driver.As(Roles.BranchSecretary, branch);
        string url = $"api/campaigns/{id}/evaluations/{branch}/self-assessment";
        string body = """{"scores":{"political":21,"organization":21,"service":21,"unity":21},"summary":"开始前提交"}""";
        using HttpResponseMessage early = await Post(secretary, url, body, "early-1");
        Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
        string keyRow = Sha256($"{Roles.BranchSecretary}@{branch}\nPOST\n/{url}\nearly-1");
        var refused = await fx.Table("IdempotencyKeys").GetEntityIfExistsAsync<TableEntity>(keyRow, "");
        Assert.Equal("unsettled", refused.Value?.GetString("State"));
        // Bound to its body: another body under the key is refused, before and after the state changes.
        using HttpResponseMessage rebound = await Post(secretary, url, body.Replace("开始前", "另一个"), "early-1");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, rebound.StatusCode);

        await CampaignDriver.Expect(await Post(org, $"api/campaigns/{id}/start", "", null), HttpStatusCode.Accepted);
        await Poll.UntilAsync(async () =>
            (await driver.GetCampaignAsync(id, county.Id)).GetProperty("branchCount").ValueKind == JsonValueKind.Number ? "ok" : null,
            TimeSpan.FromSeconds(60), "the campaign to start", () => fx.Host.Output);
        using HttpResponseMessage later = await Post(secretary, url, body, "early-1");
        Assert.Equal(HttpStatusCode.Accepted, later.StatusCode);
        JsonElement e = await driver.WaitForStageAsync(id, branch, "awaiting-township-review");
        Assert.Equal("开始前提交", e.GetProperty("submission").GetProperty("assessment").GetProperty("summary").GetString());
        Assert.Equal("done", (await fx.Table("IdempotencyKeys").GetEntityAsync<TableEntity>(keyRow, "")).Value.GetString("State"));
    }

    /// <summary>
    /// A return accepted, taken in (the evaluation is back at self-assessment, round 1), its answer lost with its
    /// process: the repeat is told 202, as first answered, not that the evaluation is at another stage.
    /// </summary>
    [Fact]
    public async Task A_repeated_return_whose_answer_was_lost_after_the_workflow_moved_on_is_accepted()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 1);
        string b = county.Branches[0];
        string campaign = await driver.CreateAndStartAsync(CampaignDriver.Campaign("rr-" + Guid.NewGuid().ToString("N")[..8],
            county.Id, "PT10M", "PT10M", "PT10M"), county.Id, 1);
        await CampaignDriver.Expect(await driver.SubmitAsync(campaign, b, CampaignDriver.Scores(20, 20, 20, 20)), HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, b, Stages.AwaitingTownshipReview);

        string township = CampaignDriver.TownshipOf(b), path = $"/api/campaigns/{campaign}/evaluations/{b}/township-review";
        const string body = """{"decision":"return","comment":"请补充民族团结材料"}""";
        HttpClient reviewer = driver.As(Roles.TownshipReviewer, township);
        using HttpResponseMessage first = await Post(reviewer, path[1..], body, "return-lost");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        await driver.WaitForAsync(campaign, b, e => e.GetProperty("round").GetInt32() == 1, "to be returned");

        string keyRow = Sha256($"{Roles.TownshipReviewer}@{township}\nPOST\n{path}\nreturn-lost");
        await fx.Table("IdempotencyKeys").UpsertEntityAsync(new TableEntity(keyRow, "")
        {
            ["BodyHash"] = Sha256(body), ["State"] = "running", ["At"] = DateTimeOffset.UtcNow.AddMinutes(-1),
        }, TableUpdateMode.Replace);

        using HttpResponseMessage repeated = await Post(reviewer, path[1..], body, "return-lost");
        Assert.Equal(HttpStatusCode.Accepted, repeated.StatusCode);
        JsonElement after = await driver.EvaluationAsync(campaign, b);
        Assert.Equal((Stages.AwaitingSelfAssessment, 1), (after.GetProperty("stage").GetString(), after.GetProperty("round").GetInt32()));
        Assert.Single(after.GetProperty("history").EnumerateArray(), h => h.GetProperty("action").GetString() == "township-returned");
        // Another request (another key) is told the truth: the evaluation is at another stage.
        Assert.Equal(HttpStatusCode.Conflict, (await Post(reviewer, path[1..], body, "return-other")).StatusCode);
    }

    /// <summary>A create written and then abandoned before its answer was kept (the key left "running"): the repeat is 201.</summary>
    [Fact]
    public async Task A_repeated_create_whose_first_answer_was_lost_is_created_not_a_conflict()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 1);
        string id = "cc-" + Guid.NewGuid().ToString("N")[..8];
        HttpClient org = driver.As(Roles.OrgDepartment, county.Id);
        string definition = CampaignDriver.Campaign(id, county.Id, "PT10M", "PT10M", "PT10M").RequestBody().ToJsonString();
        using HttpResponseMessage created = await Post(org, "api/campaigns", definition, "create-lost");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        // As a process killed after the write leaves it: the key still running, a minute ago, no answer kept.
        string keyRow = Sha256($"{Roles.OrgDepartment}@{county.Id}\nPOST\n/api/campaigns\ncreate-lost");
        await fx.Table("IdempotencyKeys").UpsertEntityAsync(new TableEntity(keyRow, "")
        {
            ["BodyHash"] = Sha256(definition), ["State"] = "running", ["At"] = DateTimeOffset.UtcNow.AddMinutes(-1),
        }, TableUpdateMode.Replace);

        using HttpResponseMessage repeated = await Post(org, "api/campaigns", definition, "create-lost");
        Assert.Equal(HttpStatusCode.Created, repeated.StatusCode);
        Assert.Equal(created.Headers.Location, repeated.Headers.Location);
        // Another key (another request) for the same id is still a conflict.
        using HttpResponseMessage other = await Post(org, "api/campaigns", definition, "create-other");
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
    }

    static string Sha256(string text) => Sha256Bytes(Encoding.UTF8.GetBytes(text));

    /// <summary>The operation id handlers record: the key's row and the body's hash (see Idempotency).</summary>
    static string OperationOf(string keyRow, string body) => Sha256($"{keyRow}\n{Sha256(body)}");
    static string Sha256Bytes(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\tinside")]
    public async Task A_malformed_key_is_a_bad_request(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/campaigns")
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        using HttpResponseMessage r = await driver.As(Roles.OrgDepartment, "chifeng").SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
    }

    [Fact]
    public async Task An_overlong_key_is_a_bad_request()
    {
        using HttpResponseMessage r = await Post(driver.As(Roles.OrgDepartment, "chifeng"), "api/campaigns", "{}", new string('k', 201));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
    }

    static Task<HttpResponseMessage> Post(HttpClient client, string url, string body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (body.Length == 0) request.Content = null;
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }
}
