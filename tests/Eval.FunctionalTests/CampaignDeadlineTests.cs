using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;
using Grpc.Net.Client;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Eval.FunctionalTests;

/// <summary>Deadlines, escalation, several scorers and forced publication, through HTTP with schedules in seconds.</summary>
public sealed class CampaignDeadlineTests(LocalHostFixture fx) : IClassFixture<LocalHostFixture>, IDisposable
{
    readonly CampaignDriver driver = new(fx.Host);

    public void Dispose() => driver.Dispose();

    static string NewId() => "dl-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Missing_the_self_assessment_deadline_ends_not_submitted_and_late_submissions_are_refused()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 2);
        string campaign = await driver.CreateAndStartAsync(
            CampaignDriver.Campaign(NewId(), county.Id, selfAssessment: "PT3S", publicity: "PT2S"), county.Id, 2);

        foreach (string b in county.Branches)
        {
            JsonElement e = await driver.WaitForStageAsync(campaign, b, "done");
            Assert.Equal("not-submitted", e.GetProperty("outcome").GetString());
            Assert.Equal("self-assessment-missed", e.GetProperty("history").EnumerateArray().Last().GetProperty("action").GetString());
        }
        using HttpResponseMessage late = await driver.SubmitAsync(campaign, county.Branches[0], CampaignDriver.Scores(20, 20, 20, 20));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal("application/problem+json", late.Content.Headers.ContentType?.MediaType);

        // Nothing is unfinished, so publication needs no force; nobody is ranked.
        await CampaignDriver.Expect(
            await driver.As(Roles.OrgDepartment, county.Id).PostAsJsonAsync($"api/campaigns/{campaign}/publication", new { }),
            HttpStatusCode.Accepted);
        JsonElement ratings = await PublishedRatingsAsync(campaign);
        Assert.Equal(0, ratings.GetProperty("ratings").GetArrayLength());
    }

    [Fact]
    public async Task Overdue_reviews_and_scores_escalate_to_the_county_and_the_organization_department()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 2);
        string campaign = await driver.CreateAndStartAsync(
            CampaignDriver.Campaign(NewId(), county.Id, selfAssessment: "PT10M", townshipReview: "PT2S", countyScoring: "PT2S"),
            county.Id, 2);
        string escalated = county.Branches[0], normal = county.Branches[1];

        foreach (string b in county.Branches)
            await CampaignDriver.Expect(await driver.SubmitAsync(campaign, b, CampaignDriver.Scores(24, 23, 22, 25)),
                HttpStatusCode.Accepted);
        foreach (string b in county.Branches)
            await driver.WaitForAsync(campaign, b, e => e.GetProperty("stage").GetString() == "awaiting-township-review"
                && e.GetProperty("overdue").GetBoolean(), "to be overdue in township review");

        // Overdue: the county scorer may review in the township's place; the township still may too.
        await CampaignDriver.Expect(await driver.ReviewAsync(campaign, escalated, "approve", role: Roles.CountyScorer, unit: county.Id),
            HttpStatusCode.Accepted);
        await CampaignDriver.Expect(await driver.ReviewAsync(campaign, normal, "approve"), HttpStatusCode.Accepted);

        // The organization department may not score before scoring is overdue...
        JsonElement scoring = await driver.WaitForStageAsync(campaign, escalated, "awaiting-county-score");
        if (!scoring.GetProperty("overdue").GetBoolean())
        {
            using HttpResponseMessage early = await driver.ScoreAsync(campaign, escalated, CampaignDriver.Scores(20, 20, 20, 20),
                role: Roles.OrgDepartment);
            Assert.Equal(HttpStatusCode.Forbidden, early.StatusCode);
        }
        // ...and may once it is.
        await driver.WaitForAsync(campaign, escalated, e => e.GetProperty("overdue").GetBoolean()
            && e.GetProperty("stage").GetString() == "awaiting-county-score", "to be overdue in county scoring");
        await CampaignDriver.Expect(
            await driver.ScoreAsync(campaign, escalated, CampaignDriver.Scores(24, 23, 22, 25), role: Roles.OrgDepartment),
            HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, normal, "awaiting-county-score");
        await CampaignDriver.Expect(await driver.ScoreAsync(campaign, normal, CampaignDriver.Scores(24, 23, 22, 25)),
            HttpStatusCode.Accepted);

        JsonElement done = await driver.WaitForStageAsync(campaign, escalated, "done");
        Assert.Equal("scored", done.GetProperty("outcome").GetString());
        // 100 × (24 + 23 + 22 + 1.5 × 25) / (75 + 1.5 × 25) = 100 × 106.5 / 112.5 = 94.67
        Assert.Equal(94.67m, done.GetProperty("finalScore").GetDecimal());
        string[] actions = done.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()!).ToArray();
        Assert.Contains("township-review-overdue", actions);
        Assert.Contains("county-scoring-overdue", actions);
        JsonElement[] history = done.GetProperty("history").EnumerateArray().ToArray();
        Assert.Contains(history,
            h => h.GetProperty("action").GetString() == "township-approved" && h.GetProperty("role").GetString() == Roles.CountyScorer);
        Assert.Contains(history,
            h => h.GetProperty("action").GetString() == "county-scored" && h.GetProperty("role").GetString() == Roles.OrgDepartment);
    }

    [Fact]
    public async Task Two_scorers_give_the_mean_and_one_scorer_cannot_score_twice()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 1);
        string branch = county.Branches[0];
        string campaign = await driver.CreateAndStartAsync(
            CampaignDriver.Campaign(NewId(), county.Id, "PT10M", "PT10M", "PT10M") with { ScorersPerBranch = 2 }, county.Id, 1);
        await CampaignDriver.Expect(await driver.SubmitAsync(campaign, branch, CampaignDriver.Scores(20, 20, 20, 20)),
            HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, branch, "awaiting-township-review");
        await CampaignDriver.Expect(await driver.ReviewAsync(campaign, branch, "approve"), HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, branch, "awaiting-county-score");

        await CampaignDriver.Expect(await driver.ScoreAsync(campaign, branch, CampaignDriver.Scores(25, 24, 23, 25), scorer: "scorer-a"),
            HttpStatusCode.Accepted);
        await driver.WaitForAsync(campaign, branch, e => e.GetProperty("scores").GetArrayLength() == 1, "to record the first score");
        using HttpResponseMessage twice = await driver.ScoreAsync(campaign, branch, CampaignDriver.Scores(0, 0, 0, 0), scorer: "scorer-a");
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        await CampaignDriver.Expect(await driver.ScoreAsync(campaign, branch, CampaignDriver.Scores(21, 22, 23, 20), scorer: "scorer-b"),
            HttpStatusCode.Accepted);

        JsonElement done = await driver.WaitForStageAsync(campaign, branch, "done");
        // Means 23, 23, 23, 22.5: 100 × (69 + 1.5 × 22.5) / 112.5 = 100 × 102.75 / 112.5 = 91.33; unity 22.5 / 25 = 0.9
        Assert.Equal(91.33m, done.GetProperty("finalScore").GetDecimal());
        Assert.Equal(0.9m, done.GetProperty("unityShare").GetDecimal());
        Assert.Equal(["scorer-a", "scorer-b"],
            done.GetProperty("scores").EnumerateArray().Select(s => s.GetProperty("by").GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Publication_waits_for_unfinished_evaluations_unless_forced()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 3);
        string campaign = await driver.CreateAndStartAsync(
            CampaignDriver.Campaign(NewId(), county.Id, "PT10M", "PT10M", "PT10M", publicity: "PT2S"), county.Id, 3);
        string scored = county.Branches[0], inReview = county.Branches[1], notSubmitted = county.Branches[2];

        await CampaignDriver.Expect(await driver.SubmitAsync(campaign, scored, CampaignDriver.Scores(25, 25, 25, 25)),
            HttpStatusCode.Accepted);
        await CampaignDriver.Expect(await driver.SubmitAsync(campaign, inReview, CampaignDriver.Scores(25, 25, 25, 25)),
            HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, scored, "awaiting-township-review");
        await CampaignDriver.Expect(await driver.ReviewAsync(campaign, scored, "approve"), HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, scored, "awaiting-county-score");
        await CampaignDriver.Expect(await driver.ScoreAsync(campaign, scored, CampaignDriver.Scores(25, 25, 25, 25)),
            HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, scored, "done");
        await driver.WaitForStageAsync(campaign, inReview, "awaiting-township-review");

        HttpClient org = driver.As(Roles.OrgDepartment, county.Id);
        using HttpResponseMessage refused = await org.PostAsJsonAsync($"api/campaigns/{campaign}/publication", new { });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("running", (await driver.GetCampaignAsync(campaign, county.Id)).GetProperty("status").GetString());

        await CampaignDriver.Expect(await org.PostAsJsonAsync($"api/campaigns/{campaign}/publication", new { force = true }),
            HttpStatusCode.Accepted);
        using HttpResponseMessage again = await org.PostAsJsonAsync($"api/campaigns/{campaign}/publication", new { force = true });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        JsonElement ratings = await PublishedRatingsAsync(campaign);
        JsonElement only = Assert.Single(ratings.GetProperty("ratings").EnumerateArray());
        Assert.Equal(scored, only.GetProperty("branchId").GetString());
        Assert.Equal(100m, only.GetProperty("score").GetDecimal());
        Assert.Equal(1, only.GetProperty("rank").GetInt32());
        // One ranked branch: ⌊0.3 × 1⌋ = 0 places at the top level, so the next level that fits.
        Assert.Equal("advanced", only.GetProperty("level").GetString());
        foreach (string b in new[] { inReview, notSubmitted })
        {
            JsonElement e = await driver.EvaluationAsync(campaign, b);
            Assert.Equal("not-evaluated", e.GetProperty("outcome").GetString());
            Assert.Equal("closed", e.GetProperty("history").EnumerateArray().Last().GetProperty("action").GetString());
        }
    }

    [Fact]
    public async Task A_forced_publication_closes_an_evaluation_whose_workflow_has_stopped()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 2);
        string campaign = await driver.CreateAndStartAsync(
            CampaignDriver.Campaign(NewId(), county.Id, "PT10M", "PT10M", "PT10M", publicity: "PT2S"), county.Id, 2);
        string stopped = county.Branches[0], waiting = county.Branches[1];
        // A workflow that can take no more events (terminated here; failed after its activities gave up is the same).
        await TerminateAsync(InstanceIds.Evaluation(campaign, stopped));

        HttpClient org = driver.As(Roles.OrgDepartment, county.Id);
        await CampaignDriver.Expect(await org.PostAsJsonAsync($"api/campaigns/{campaign}/publication", new { force = true }),
            HttpStatusCode.Accepted);
        JsonElement ratings = await PublishedRatingsAsync(campaign);
        Assert.Empty(ratings.GetProperty("ratings").EnumerateArray());
        foreach (string b in new[] { stopped, waiting })
        {
            JsonElement e = await driver.EvaluationAsync(campaign, b);
            Assert.Equal("not-evaluated", e.GetProperty("outcome").GetString());
            Assert.Equal("closed", e.GetProperty("history").EnumerateArray().Last().GetProperty("action").GetString());
        }
        JsonElement verified = await org.GetFromJsonAsync<JsonElement>($"api/campaigns/{campaign}/audit/verify");
        Assert.True(verified.GetProperty("intact").GetBoolean(), verified.ToString());
    }

    async Task TerminateAsync(string instanceId)
    {
        using GrpcChannel channel = GrpcChannel.ForAddress($"http://localhost:{fx.Host.SidecarPort}");
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(
            new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Services.AddDurableTaskClient(b => b.UseGrpc(channel));
        using IHost host = builder.Build();
        DurableTaskClient client = host.Services.GetRequiredService<DurableTaskClient>();
        await client.TerminateInstanceAsync(instanceId, "test: a workflow that has stopped");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        OrchestrationMetadata m = await client.WaitForInstanceCompletionAsync(instanceId, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, m.RuntimeStatus);
    }

    async Task<JsonElement> PublishedRatingsAsync(string campaign) =>
        (JsonElement)await Poll.UntilAsync<object>(async () =>
        {
            using HttpResponseMessage r = await fx.Http.GetAsync($"api/campaigns/{campaign}/ratings");
            if (r.StatusCode != HttpStatusCode.OK) return null;
            JsonElement body = await r.Content.ReadFromJsonAsync<JsonElement>();
            return body.GetProperty("status").GetString() == "published" ? body : null;
        }, TimeSpan.FromSeconds(90), $"campaign {campaign} to publish", () => fx.Host.Output);
}
