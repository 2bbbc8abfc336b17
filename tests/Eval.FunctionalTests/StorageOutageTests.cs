using System.Net;
using Eval.FunctionalTests.Infrastructure;

namespace Eval.FunctionalTests;

/// <summary>Azurite (with its data on disk) goes down mid-campaign and comes back: the host rides through.</summary>
public sealed class StorageOutageTests
{
    [Fact]
    public async Task The_host_reports_a_storage_outage_and_the_campaign_completes_after_it()
    {
        string data = Directory.CreateTempSubdirectory("eval-azurite-").FullName;
        try
        {
            using AzuriteInstance storage = AzuriteInstance.StartPrivate(location: data);
            await using LocalHostProcess host = await LocalHostProcess.StartAsync(storage.ConnectionString, LocalHostProcess.NewHubName());
            using var driver = new CampaignDriver(host);
            TestCounty county = await driver.CreateCountyAsync(1, 3);
            string campaign = await driver.CreateAndStartAsync(
                CampaignDriver.Campaign("so-" + Guid.NewGuid().ToString("N")[..8], county.Id, "PT10M", "PT10M", "PT10M"), county.Id, 3);
            foreach (string b in county.Branches)
                await CampaignDriver.Expect(await driver.SubmitAsync(campaign, b, CampaignDriver.Scores(22, 22, 22, 22)),
                    HttpStatusCode.Accepted);
            foreach (string b in county.Branches) await driver.WaitForStageAsync(campaign, b, "awaiting-township-review");

            storage.Stop();
            await Poll.UntilAsync(
                async () => (await host.Http.GetAsync("api/health")).StatusCode == HttpStatusCode.ServiceUnavailable ? "down" : null,
                TimeSpan.FromSeconds(30), "health to report the outage", () => host.Output);
            await Task.Delay(3000); // the workflows' storage calls fail and back off meanwhile

            storage.Restart();
            await Poll.UntilAsync(async () => (await host.Http.GetAsync("api/health")).StatusCode == HttpStatusCode.OK ? "up" : null,
                TimeSpan.FromSeconds(60), "health to recover", () => host.Output);

            foreach (string b in county.Branches)
                await CampaignDriver.Expect(await driver.ReviewAsync(campaign, b, "approve"), HttpStatusCode.Accepted);
            foreach (string b in county.Branches)
            {
                await driver.WaitForStageAsync(campaign, b, "awaiting-county-score", seconds: 120);
                await CampaignDriver.Expect(await driver.ScoreAsync(campaign, b, CampaignDriver.Scores(22, 22, 22, 22)),
                    HttpStatusCode.Accepted);
            }
            foreach (string b in county.Branches)
            {
                var done = await driver.WaitForStageAsync(campaign, b, "done", seconds: 120);
                Assert.Equal("scored", done.GetProperty("outcome").GetString());
                Assert.Equal(88m, done.GetProperty("finalScore").GetDecimal()); // 100 × (66 + 1.5 × 22) / 112.5 = 88
            }
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }
}
