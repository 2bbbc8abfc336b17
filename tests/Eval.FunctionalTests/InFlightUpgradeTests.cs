using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests;

/// <summary>
/// An evaluation that was waiting when the code changed must carry on under the new code. The fixture is an
/// evaluation recorded mid-flight (waiting for its township review) by an earlier version: its orchestration
/// history and instance row in the task hub, and its campaign, evaluation and audit rows. The test writes them
/// into a fresh hub, starts the current local host on it, and drives the evaluation to its end: the engine
/// replays the recorded history against today's orchestrator, which must make the same decisions
/// (docs/workflows.md says what may change). Re-record with EVAL_RECORD_FIXTURE=1 only when a new version is cut.
/// </summary>
public sealed class InFlightUpgradeTests
{
    static string FixturePath =>
        Path.Combine(Repo.Root, "tests", "Eval.FunctionalTests", "Fixtures", "evaluation-awaiting-township-review.json");

    [Fact]
    public async Task A_recorded_in_flight_evaluation_completes_under_the_current_code()
    {
        JsonObject fixture = JsonNode.Parse(await File.ReadAllTextAsync(FixturePath))!.AsObject();
        string campaign = fixture["campaignId"]!.GetValue<string>(), branch = fixture["branchId"]!.GetValue<string>();
        string instance = fixture["instanceId"]!.GetValue<string>();
        string hub = LocalHostProcess.NewHubName(), prefix = "t" + Guid.NewGuid().ToString("N")[..8];
        var storage = new TableServiceClient(AzuriteInstance.Shared.ConnectionString);

        await TableSnapshot.ImportAsync(storage.GetTableClient(hub + "Instances"), fixture["instances"]!.AsArray(),
            e => e["TaskHubName"] = hub);
        await TableSnapshot.ImportAsync(storage.GetTableClient(hub + "History"), fixture["history"]!.AsArray());
        foreach (string table in new[] { "Campaigns", "Evaluations", "Audit" })
            await TableSnapshot.ImportAsync(storage.GetTableClient(prefix + table), fixture[table]!.AsArray());

        await using LocalHostProcess host = await LocalHostProcess.StartAsync(AzuriteInstance.Shared.ConnectionString, hub,
            settings: new Dictionary<string, string> { ["Storage__TablePrefix"] = prefix });
        using var driver = new CampaignDriver(host);
        Assert.Equal("awaiting-township-review", (await driver.EvaluationAsync(campaign, branch)).GetProperty("stage").GetString());

        await CampaignDriver.Expect(await driver.ReviewAsync(campaign, branch, "approve", "材料齐全"), HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, branch, "awaiting-county-score");
        await CampaignDriver.Expect(await driver.ScoreAsync(campaign, branch, CampaignDriver.Scores(25, 24, 23, 25)),
            HttpStatusCode.Accepted);
        JsonElement done = await driver.WaitForStageAsync(campaign, branch, "done");

        Assert.Equal("scored", done.GetProperty("outcome").GetString());
        // 100 × (25 + 24 + 23 + 1.5 × 25) / 112.5 = 100 × 109.5 / 112.5
        Assert.Equal(97.33m, done.GetProperty("finalScore").GetDecimal());
        TableEntity row = (await storage.GetTableClient(hub + "Instances").GetEntityAsync<TableEntity>(instance, "")).Value;
        Assert.NotEqual("Failed", row.GetString("RuntimeStatus"));
        using HttpResponseMessage verify = await driver.As(Roles.OrgDepartment, CampaignDriver.CountyOf(branch)).GetAsync(
            $"api/campaigns/{campaign}/audit/verify");
        Assert.True(JsonDocument.Parse(await verify.Content.ReadAsStringAsync()).RootElement.GetProperty("intact").GetBoolean());
    }

    /// <summary>Writes the fixture from a run of the current code (EVAL_RECORD_FIXTURE=1 ./eval test --filter Record).</summary>
    [Fact]
    public async Task Record_the_fixture_when_asked()
    {
        if (Environment.GetEnvironmentVariable("EVAL_RECORD_FIXTURE") != "1") return;
        string hub = LocalHostProcess.NewHubName(), prefix = "t" + Guid.NewGuid().ToString("N")[..8];
        await using LocalHostProcess host = await LocalHostProcess.StartAsync(AzuriteInstance.Shared.ConnectionString, hub,
            settings: new Dictionary<string, string> { ["Storage__TablePrefix"] = prefix });
        using var driver = new CampaignDriver(host);
        var storage = new TableServiceClient(AzuriteInstance.Shared.ConnectionString);

        // Units live in the prefixed tables of this host.
        TestCounty county = await driver.CreateCountyAsync(1, 1);
        string branch = county.Branches[0], campaign = "upgrade-fixture";
        await driver.CreateAndStartAsync(
            CampaignDriver.Campaign(campaign, county.Id, "P30D", "P30D", "P30D", publicity: "PT5S"), county.Id, 1);
        await CampaignDriver.Expect(await driver.SubmitAsync(campaign, branch, CampaignDriver.Scores(24, 23, 22, 25)),
            HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, branch, "awaiting-township-review");
        await Task.Delay(3000); // let the episode's checkpoint settle

        string instance = Eval.Workflows.Domain.InstanceIds.Evaluation(campaign, branch);
        var fixture = new JsonObject
        {
            ["about"] = "An evaluation waiting for its township review, recorded by ./eval test with EVAL_RECORD_FIXTURE=1 " +
                "(InFlightUpgradeTests).",
            ["campaignId"] = campaign,
            ["branchId"] = branch,
            ["instanceId"] = instance,
            ["instances"] = await TableSnapshot.ExportAsync(storage.GetTableClient(hub + "Instances"), instance),
            ["history"] = await TableSnapshot.ExportAsync(storage.GetTableClient(hub + "History"), instance),
            ["Campaigns"] = await TableSnapshot.ExportAsync(storage.GetTableClient(prefix + "Campaigns"), campaign),
            ["Evaluations"] = await TableSnapshot.ExportAsync(storage.GetTableClient(prefix + "Evaluations"), campaign),
            ["Audit"] = await TableSnapshot.ExportAsync(storage.GetTableClient(prefix + "Audit"), campaign),
        };
        await File.WriteAllTextAsync(FixturePath, fixture.ToJsonString(TableSnapshot.Indented) + "\n");
    }
}
