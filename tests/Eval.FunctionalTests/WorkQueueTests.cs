using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests;

/// <summary>GET …/evaluations: a reviewer's work queue, scoped to the caller's unit, filtered by stage, read page by page.</summary>
public sealed class WorkQueueTests(LocalHostFixture fx) : IClassFixture<LocalHostFixture>, IDisposable
{
    readonly CampaignDriver driver = new(fx.Host);

    public void Dispose() => driver.Dispose();

    [Fact]
    public async Task Pages_follow_their_tokens_through_the_whole_queue_and_a_token_serves_only_its_own_listing()
    {
        TestCounty county = await driver.CreateCountyAsync(2, 3);
        string id = await driver.CreateAndStartAsync(
            CampaignDriver.Campaign("wq-" + Guid.NewGuid().ToString("N")[..8], county.Id, "PT10M", "PT10M", "PT10M"),
            county.Id, 6);
        HttpClient org = driver.As(Roles.OrgDepartment, county.Id);

        // Two at a time: every branch once, in key order, and the last page says there is no more.
        var seen = new List<string>();
        string? token = null;
        int pages = 0;
        do
        {
            JsonElement page = await org.GetFromJsonAsync<JsonElement>(
                $"api/campaigns/{id}/evaluations?pageSize=2" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("branchId").GetString()!));
            token = page.GetProperty("continuationToken").GetString();
            Assert.True(++pages <= 6, "the pages never end");
        } while (token is not null);
        Assert.Equal(county.Branches.Order(StringComparer.Ordinal), seen);

        // A township reviewer sees its own township only.
        string township = CampaignDriver.TownshipOf(county.Branches[0]);
        JsonElement own = await driver.As(Roles.TownshipReviewer, township)
            .GetFromJsonAsync<JsonElement>($"api/campaigns/{id}/evaluations");
        Assert.Equal(county.Branches.Where(b => b.StartsWith(township + ".", StringComparison.Ordinal)),
            own.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("branchId").GetString()!));

        // A token is for the listing that gave it: not for another unit or stage.
        JsonElement first = await org.GetFromJsonAsync<JsonElement>($"api/campaigns/{id}/evaluations?pageSize=1");
        string next = Uri.EscapeDataString(first.GetProperty("continuationToken").GetString()!);
        using HttpResponseMessage otherUnit = await org.GetAsync(
            $"api/campaigns/{id}/evaluations?pageSize=1&unit={township}&continuationToken={next}");
        using HttpResponseMessage otherStage = await org.GetAsync(
            $"api/campaigns/{id}/evaluations?pageSize=1&stage=done&continuationToken={next}");
        foreach (HttpResponseMessage refused in new[] { otherUnit, otherStage })
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        // The stage filter: one submission moves one branch to the township's queue.
        await CampaignDriver.Expect(await driver.SubmitAsync(id, county.Branches[4], CampaignDriver.Scores(20, 20, 20, 20)),
            HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(id, county.Branches[4], "awaiting-township-review");
        JsonElement queue = await org.GetFromJsonAsync<JsonElement>($"api/campaigns/{id}/evaluations?stage=awaiting-township-review");
        Assert.Equal([county.Branches[4]], queue.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("branchId").GetString()!));
    }
}
