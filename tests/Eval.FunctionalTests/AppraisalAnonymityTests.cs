using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Azure.Storage.Queues;
using Eval.FunctionalTests.Infrastructure;
using Eval.LocalHost.Cli;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests;

/// <summary>A host of its own that logs everything (Debug) and its telemetry, so that every line it could write is read.</summary>
public sealed class VerboseHostFixture : IAsyncLifetime
{
    public string Hub { get; } = LocalHostProcess.NewHubName();
    public string TablePrefix { get; } = "t" + Guid.NewGuid().ToString("N")[..8];
    public LocalHostProcess Host { get; private set; } = null!;
    public TableServiceClient Tables { get; } = new(AzuriteInstance.Shared.ConnectionString);

    public async Task InitializeAsync() =>
        Host = await LocalHostProcess.StartAsync(AzuriteInstance.Shared.ConnectionString, Hub,
            settings: new Dictionary<string, string>
            {
                ["Storage__TablePrefix"] = TablePrefix,
                ["Logging__LogLevel__Default"] = "Debug",
                ["Logging__LogLevel__Microsoft"] = "Debug",
                // Traces and metrics to the console too, so that their attributes are read with the log.
                ["Telemetry__Console"] = "true",
            });

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// Who voted and what was voted are never linked: after a branch's members vote and the workflow counts the box, every
/// row of every table the host wrote (its own and its task hub's), every message left in its queues and every line it
/// logged or exported as telemetry is read, and none holds a member's id (or the hash that keys their row) together with
/// a choice.
/// </summary>
public sealed class AppraisalAnonymityTests(VerboseHostFixture fx) : IClassFixture<VerboseHostFixture>, IDisposable
{
    readonly CampaignDriver driver = new(fx.Host);

    public void Dispose() => driver.Dispose();

    [Fact]
    public async Task No_table_row_queue_message_or_log_line_links_a_voter_to_a_choice()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 1);
        string branch = county.Branches[0];
        CampaignDefinition definition = CampaignDriver.Campaign("an-" + Guid.NewGuid().ToString("N")[..8], county.Id)
            .WithAppraisal(ChifengCampaign.Appraisal with { Window = "PT15S" });
        string campaign = await driver.CreateAndStartAsync(definition, county.Id, 1);
        // Ids no other text could hold by chance; the one dissatisfied ballot is the one a link would give away.
        string[] voters = [.. Enumerable.Range(1, 6).Select(i => $"voter-{Guid.NewGuid():N}")];
        string[] choices = ["satisfied", "satisfied", "fair", "dissatisfied", "satisfied", "fair"];
        string url = $"api/campaigns/{campaign}/evaluations/{branch}/appraisal";
        await CampaignDriver.Expect(
            await driver.As(Roles.BranchSecretary, branch).PutAsJsonAsync(url + "/roster", new { members = voters }), HttpStatusCode.OK);
        await CampaignDriver.Expect(await driver.SubmitAsync(campaign, branch, CampaignDriver.Scores(24, 24, 24, 24)),
            HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, branch, "awaiting-township-review");
        for (int i = 0; i < voters.Length; i++)
        {
            using HttpResponseMessage cast = await fx.Host.As(Roles.Member, branch, voters[i])
                .PostAsJsonAsync(url + "/ballots", new { choice = choices[i] });
            await CampaignDriver.Expect(cast, HttpStatusCode.Accepted);
            Assert.DoesNotContain(choices[i], await cast.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        await CampaignDriver.Expect(await driver.ReviewAsync(campaign, branch, "approve"), HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, branch, "awaiting-county-score");
        await CampaignDriver.Expect(await driver.ScoreAsync(campaign, branch, CampaignDriver.Scores(24, 24, 24, 24)),
            HttpStatusCode.Accepted);
        JsonElement done = await driver.WaitForStageAsync(campaign, branch, "done", seconds: 90);
        Assert.Equal(1, done.GetProperty("appraisal").GetProperty("counts").EnumerateArray()
            .Single(c => c.GetProperty("choice").GetString() == "dissatisfied").GetProperty("count").GetInt32());

        // What would name a voter: the id itself, or the hash that keys the voter's row. What would name a choice: its id
        // or its title.
        string[] voterMarks =
            [.. voters, .. voters.Select(v => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(v))))];
        string[] choiceMarks = [.. ChifengCampaign.Appraisal.Choices.SelectMany(c => new[] { c.Id, c.Title })];
        bool Links(string text) =>
            voterMarks.Any(v => text.Contains(v, StringComparison.Ordinal))
            && choiceMarks.Any(c => text.Contains(c, StringComparison.Ordinal));

        int rows = 0, voterRows = 0;
        await foreach (TableItem table in fx.Tables.QueryAsync())
        {
            bool ours = table.Name.StartsWith(fx.TablePrefix, StringComparison.Ordinal)
                || table.Name.StartsWith(fx.Hub, StringComparison.Ordinal);
            if (!ours) continue;
            await foreach (TableEntity row in fx.Tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                rows++;
                string text = string.Join("\n", row.Select(p => $"{p.Key}={p.Value}"));
                Assert.False(Links(text), $"{table.Name} {row.PartitionKey}/{row.RowKey} links a voter to a choice:\n{text}");
                if (!row.RowKey.StartsWith("voter-", StringComparison.Ordinal)) continue;
                // A voter's row is its keys alone: nothing to compare with anything else.
                voterRows++;
                Assert.Equal(["PartitionKey", "RowKey", "Timestamp", "odata.etag"], row.Keys.Order(StringComparer.Ordinal));
            }
        }
        Assert.Equal(voters.Length, voterRows);
        Assert.True(rows > 20, $"only {rows} rows read: the scan missed the tables");

        var queues = new QueueServiceClient(AzuriteInstance.Shared.ConnectionString);
        await foreach (var queue in queues.GetQueuesAsync(prefix: fx.Hub.ToLowerInvariant()))
            foreach (var message in (await queues.GetQueueClient(queue.Name).PeekMessagesAsync(32)).Value)
                Assert.False(Links(message.Body.ToString()), $"queue {queue.Name} holds a message linking a voter to a choice");

        string[] lines = fx.Host.Output.Split('\n');
        // The log is read whole: the host logged the ballots' requests and the box's close.
        Assert.Contains(lines, l => l.Contains("Appraisal of", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, Links);
    }
}
