using System.Net;
using System.Text.Json;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests;

/// <summary>Simultaneous decisions on one evaluation: exactly one is accepted, the others get 409, none is dropped later.</summary>
public sealed class ConcurrencyTests(LocalHostFixture fx) : IClassFixture<LocalHostFixture>, IDisposable
{
    readonly CampaignDriver driver = new(fx.Host);

    public void Dispose() => driver.Dispose();

    [Fact]
    public async Task Of_ten_simultaneous_self_assessments_exactly_one_is_accepted()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 1);
        string branch = county.Branches[0];
        string campaign = await driver.CreateAndStartAsync(
            CampaignDriver.Campaign("cc-" + Guid.NewGuid().ToString("N")[..8], county.Id, "PT10M", "PT10M", "PT10M"), county.Id, 1);

        HttpResponseMessage[] answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            driver.SubmitAsync(campaign, branch, CampaignDriver.Scores(20, 20, 20, 10 + i), $"第{i}份")));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Accepted);
        Assert.Equal(9, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));

        JsonElement e = await driver.WaitForStageAsync(campaign, branch, "awaiting-township-review");
        string summary = e.GetProperty("submission").GetProperty("assessment").GetProperty("summary").GetString()!;
        int winner = Array.FindIndex(answers, a => a.StatusCode == HttpStatusCode.Accepted);
        Assert.Equal($"第{winner}份", summary);
        Assert.Single(e.GetProperty("history").EnumerateArray(), h => h.GetProperty("action").GetString() == "self-assessment-submitted");
    }

    [Fact]
    public async Task Two_reviewers_deciding_at_once_one_wins_and_the_record_follows_the_winner()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 1);
        string branch = county.Branches[0];
        string township = CampaignDriver.TownshipOf(branch);
        string campaign = await driver.CreateAndStartAsync(
            CampaignDriver.Campaign("cc-" + Guid.NewGuid().ToString("N")[..8], county.Id, "PT10M", "PT10M", "PT10M"), county.Id, 1);
        await CampaignDriver.Expect(await driver.SubmitAsync(campaign, branch, CampaignDriver.Scores(20, 20, 20, 20)),
            HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, branch, "awaiting-township-review");

        string url = $"api/campaigns/{campaign}/evaluations/{branch}/township-review";
        HttpResponseMessage[] answers = await Task.WhenAll(
            driver.As(Roles.TownshipReviewer, township, "reviewer-a").PostAsync(url, Json("""{"decision":"approve"}""")),
            driver.As(Roles.TownshipReviewer, township, "reviewer-b")
                .PostAsync(url, Json("""{"decision":"reject","comment":"材料不实"}""")));
        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());

        bool approveWon = answers[0].StatusCode == HttpStatusCode.Accepted;
        JsonElement e = await driver.WaitForAsync(campaign, branch, r => r.GetProperty("stage").GetString() != "awaiting-township-review",
            "to leave township review");
        if (approveWon) Assert.Equal("awaiting-county-score", e.GetProperty("stage").GetString());
        else Assert.Equal("rejected", e.GetProperty("outcome").GetString());
        Assert.Equal(approveWon ? "reviewer-a" : "reviewer-b", e.GetProperty("review").GetProperty("by").GetProperty("id").GetString());
    }

    static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}
