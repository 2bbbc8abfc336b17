using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests;

/// <summary>
/// After publication the Durable Task history of a campaign's finished instances is purged once the retention has passed
/// (here a few seconds), and everything the API shows still answers: it reads the tables, never orchestration state.
/// </summary>
public sealed class HistoryPurgeTests
{
    [Fact]
    public async Task A_published_campaigns_instances_are_purged_after_the_retention_and_its_views_and_audit_still_answer()
    {
        string hub = LocalHostProcess.NewHubName(), prefix = "hp" + Guid.NewGuid().ToString("N")[..8];
        string storage = AzuriteInstance.Shared.ConnectionString;
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(storage, hub, settings: new Dictionary<string, string>
        {
            ["Storage__TablePrefix"] = prefix, ["Workflows__HistoryRetention"] = "PT5S",
        });
        using var driver = new CampaignDriver(host);
        TestCounty county = await driver.CreateCountyAsync(1, 2);
        string campaign = await driver.CreateAndStartAsync(
            CampaignDriver.Campaign("hp-" + Guid.NewGuid().ToString("N")[..8], county.Id, "PT10M", "PT10M", "PT10M"), county.Id, 2);
        await driver.ToNoticeAsync(campaign, county);
        await driver.RatingsAsync(campaign, "published");

        var tables = new TableServiceClient(storage);
        TableClient instances = tables.GetTableClient(hub + "Instances"), history = tables.GetTableClient(hub + "History");
        string[] purged =
        [
            .. county.Branches.Select(b => InstanceIds.Evaluation(campaign, b)), InstanceIds.OutboxSweep(campaign),
            InstanceIds.Campaign(campaign),
        ];
        await Poll.UntilAsync(async () =>
        {
            foreach (string instance in purged)
                if ((await instances.GetEntityIfExistsAsync<TableEntity>(instance, "")).HasValue) return null;
            return "gone";
        }, TimeSpan.FromSeconds(90), "the campaign's instances to be purged", () => host.Output);
        foreach (string instance in purged)
        {
            string filter = TableClient.CreateQueryFilter($"PartitionKey eq {instance}");
            Assert.Empty(history.QueryAsync<TableEntity>(filter).ToBlockingEnumerable());
        }
        // The purge completes a moment after its last activity has deleted the instances.
        await Poll.UntilAsync(async () =>
        {
            TableEntity purge = (await instances.GetEntityAsync<TableEntity>(InstanceIds.HistoryPurge(campaign), "")).Value;
            return purge.GetString("RuntimeStatus") == "Completed" ? "ok" : null;
        }, TimeSpan.FromSeconds(60), "the purge to complete", () => host.Output);

        // What the API shows comes from the tables.
        JsonElement evaluation = await driver.EvaluationAsync(campaign, county.Branches[0]);
        Assert.Equal(Stages.Done, evaluation.GetProperty("stage").GetString());
        Assert.Equal(CampaignStatus.Published, (await driver.GetCampaignAsync(campaign, county.Id)).GetProperty("status").GetString());
        Assert.Equal(2, (await driver.RatingsAsync(campaign, "published")).GetProperty("ratings").GetArrayLength());
        HttpClient org = driver.As(Roles.OrgDepartment, county.Id);
        using HttpResponseMessage verify = await org.GetAsync($"api/campaigns/{campaign}/audit/verify");
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        JsonElement audit = await verify.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(audit.GetProperty("intact").GetBoolean(), audit.ToString());
    }
}
