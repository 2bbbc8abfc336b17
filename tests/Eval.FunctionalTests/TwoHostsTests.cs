using System.Net;
using Eval.FunctionalTests.Infrastructure;

namespace Eval.FunctionalTests;

/// <summary>Two local hosts on one task hub share the work; when one is killed, the other takes over.</summary>
public sealed class TwoHostsTests
{
    [Fact]
    public async Task Both_hosts_work_and_the_survivor_finishes_the_campaign()
    {
        string storage = AzuriteInstance.Shared.ConnectionString, hub = LocalHostProcess.NewHubName();
        var settings = new Dictionary<string, string> { ["Storage__TablePrefix"] = "t" + Guid.NewGuid().ToString("N")[..8] };
        await using LocalHostProcess a = await LocalHostProcess.StartAsync(storage, hub, "worker-a", settings);
        await using LocalHostProcess b = await LocalHostProcess.StartAsync(storage, hub, "worker-b", settings);
        using var viaA = new CampaignDriver(a);
        using var viaB = new CampaignDriver(b);

        TestCounty county = await viaA.CreateCountyAsync(2, 4);
        string campaign = await viaA.CreateAndStartAsync(
            CampaignDriver.Campaign("th-" + Guid.NewGuid().ToString("N")[..8], county.Id, "PT10M", "PT10M", "PT10M"), county.Id, 8);
        foreach (var (branch, i) in county.Branches.Select((x, i) => (x, i)))
            await CampaignDriver.Expect(
                await (i % 2 == 0 ? viaA : viaB).SubmitAsync(campaign, branch, CampaignDriver.Scores(20, 21, 22, 23)),
                HttpStatusCode.Accepted);
        foreach (string branch in county.Branches) await viaB.WaitForStageAsync(campaign, branch, "awaiting-township-review", seconds: 120);

        // Both processes come to own task-hub partitions (each listens on some control queues): the partitions are
        // rebalanced between them shortly after the second one joins.
        string listening = $"Started listening for messages on queue {hub}-control-";
        await Poll.UntilAsync(() => Task.FromResult(a.Output.Contains(listening) && b.Output.Contains(listening) ? "both" : null),
            TimeSpan.FromSeconds(90), "both hosts to own partitions", () => $"A:\n{a.Output}\nB:\n{b.Output}");

        a.Kill();
        foreach (string branch in county.Branches)
            await CampaignDriver.Expect(await viaB.ReviewAsync(campaign, branch, "approve"), HttpStatusCode.Accepted);
        foreach (string branch in county.Branches)
        {
            await viaB.WaitForStageAsync(campaign, branch, "awaiting-county-score", seconds: 180);
            await CampaignDriver.Expect(await viaB.ScoreAsync(campaign, branch, CampaignDriver.Scores(20, 21, 22, 23)),
                HttpStatusCode.Accepted);
        }
        foreach (string branch in county.Branches)
            Assert.Equal("scored",
                (await viaB.WaitForStageAsync(campaign, branch, "done", seconds: 180)).GetProperty("outcome").GetString());
    }
}
