using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.LocalHost;
using Eval.Workflows.Domain;
using Eval.Workflows.Outbox;
using Eval.Workflows.Storage;

namespace Eval.FunctionalTests;

/// <summary>
/// An action the API accepted whose event never reached the workflow (the raise failed, or the process died, right
/// after the claim) is not lost. Each test leaves an evaluation in exactly that state, with the store call the API
/// makes before it raises (the claim and the event kept in the record's outbox) and no raise, and then shows which
/// of the three ways delivers it: the campaign's sweep, a client's retry, the workflow at the deadline. The same for
/// a campaign's publication request (kept on the campaign's record) and its start (the orchestration never scheduled).
/// Each test runs its own host, to set how often the sweep runs and how old an action must be to be raised again, and
/// with the key that binds kept events to their claims, so that a test can keep an event as the API does. An event kept
/// without that binding (written into the table by someone else) is never raised.
/// </summary>
[Collection(nameof(StorageOutages))]
public sealed class OutboxTests
{
    const string Never = "1.00:00:00";
    static readonly string Storage = AzuriteInstance.Shared.ConnectionString;
    readonly string prefix = "t" + Guid.NewGuid().ToString("N")[..8], hub = LocalHostProcess.NewHubName();
    readonly byte[] bindingKey = RandomNumberGenerator.GetBytes(32);

    static string NewId() => "ob-" + Guid.NewGuid().ToString("N")[..8];

    Task<LocalHostProcess> StartHostAsync(string sweepInterval, string relayAfter) =>
        LocalHostProcess.StartAsync(Storage, hub, settings: new Dictionary<string, string>
        {
            ["Storage__TablePrefix"] = prefix, ["Outbox__SweepInterval"] = sweepInterval, ["Outbox__RelayAfter"] = relayAfter,
            ["Outbox__BindingKey"] = Convert.ToBase64String(bindingKey),
        });

    OutboxBinding Binding => new(bindingKey);

    EvalTables Tables => new(new TableServiceClient(Storage), new StorageOptions { TablePrefix = prefix });
    EvaluationStore Evaluations => new(Tables);
    CampaignStore Campaigns => new(Tables);

    /// <summary>
    /// What the API stores for an unkeyed self-assessment before it raises the event: bound to its claim under
    /// <paramref name="key"/> (the host's by default; another key is what a forger without the host's key can do).
    /// </summary>
    async Task<SelfAssessmentSubmitted> AcceptWithoutRaisingAsync(string campaign, string branch, string summary, byte[]? key = null)
    {
        var seen = await Evaluations.GetExistingAsync(campaign, branch);
        var submitted = new SelfAssessmentSubmitted(seen.Record.Round,
            new SelfAssessment(
                new Dictionary<string, decimal> { ["political"] = 20, ["organization"] = 21, ["service"] = 22, ["unity"] = 23 },
                summary, null),
            new Actor("secretary-1", "支部书记", Roles.BranchSecretary), DateTimeOffset.UtcNow);
        AcceptedAction action = new OutboxBinding(key ?? bindingKey).Bind(campaign, branch,
            AcceptedAction.Of($"{Stages.AwaitingSelfAssessment}:{seen.Record.Round}", submitted));
        string? refused = await Evaluations.ClaimAsync(seen, action, _ => null);
        Assert.Null(refused);
        return submitted;
    }

    static void AssertTakenIn(JsonElement evaluation, string summary)
    {
        Assert.Equal(summary, evaluation.GetProperty("submission").GetProperty("assessment").GetProperty("summary").GetString());
        Assert.Single(evaluation.GetProperty("history").EnumerateArray(),
            h => h.GetProperty("action").GetString() == "self-assessment-submitted");
    }

    async Task<TableEntity> RowAsync(string campaign, string branch) =>
        (await new TableServiceClient(Storage).GetTableClient(prefix + EvalTables.Evaluations)
            .GetEntityAsync<TableEntity>(campaign, branch)).Value;

    [Fact]
    public async Task The_campaigns_sweep_raises_an_accepted_action_that_never_arrived_and_ends_with_the_campaign()
    {
        await using LocalHostProcess host = await StartHostAsync(sweepInterval: "00:00:01", relayAfter: "00:00:01");
        using var driver = new CampaignDriver(host);
        TestCounty county = await driver.CreateCountyAsync(1, 2);
        string campaign = await driver.CreateAndStartAsync(
            CampaignDriver.Campaign(NewId(), county.Id, selfAssessment: "PT10M"), county.Id, 2);
        string lost = county.Branches[0], untouched = county.Branches[1];

        Assert.True((await RowAsync(campaign, lost)).GetBoolean("HasOutbox") is false or null);
        await AcceptWithoutRaisingAsync(campaign, lost, "事件丢失后由清扫补发");
        Assert.True((await RowAsync(campaign, lost)).GetBoolean("HasOutbox"));

        AssertTakenIn(await driver.WaitForStageAsync(campaign, lost, Stages.AwaitingTownshipReview, seconds: 90),
            "事件丢失后由清扫补发");
        // Taken in, the action is settled: the workflow's write dropped it from the outbox.
        TableEntity row = await RowAsync(campaign, lost);
        Assert.False(row.GetBoolean("HasOutbox"));
        Assert.Null(row.GetString("Outbox"));
        Assert.Equal(Stages.AwaitingSelfAssessment, (await driver.EvaluationAsync(campaign, untouched)).GetProperty("stage").GetString());

        // Once the campaign stops running evaluations its sweep ends.
        await CampaignDriver.Expect(
            await driver.As(Roles.OrgDepartment, county.Id).PostAsJsonAsync($"api/campaigns/{campaign}/publication", new { force = true }),
            HttpStatusCode.Accepted);
        TableClient instances = new TableServiceClient(Storage).GetTableClient(hub + "Instances");
        await Poll.UntilAsync(async () =>
            (await instances.GetEntityIfExistsAsync<TableEntity>(InstanceIds.OutboxSweep(campaign), "")).Value?.GetString("RuntimeStatus")
                == "Completed" ? "ended" : null,
            TimeSpan.FromSeconds(60), "the outbox sweep to end", () => host.Output);
    }

    [Fact]
    public async Task A_self_assessment_whose_raise_failed_while_the_queue_was_down_is_delivered_once_it_is_back()
    {
        // The real failure: the queue service stops (its data on disk), the table service stays up.
        string data = Directory.CreateTempSubdirectory("eval-azurite-").FullName;
        int blobPort = FreePort.Next(), queuePort = FreePort.Next(), tablePort = FreePort.Next();
        var processes = new List<Process>();
        try
        {
            processes.Add(AzuriteInstance.LaunchService("blob", blobPort, data));
            processes.Add(AzuriteInstance.LaunchService("table", tablePort, data));
            Process queue = AzuriteInstance.LaunchService("queue", queuePort, data);
            processes.Add(queue);
            await using LocalHostProcess host = await LocalHostProcess.StartAsync(
                AzuriteInstance.Connection(blobPort, queuePort, tablePort), hub,
                settings: new Dictionary<string, string> { ["Outbox__SweepInterval"] = "00:00:01", ["Outbox__RelayAfter"] = "00:00:01" });
            using var driver = new CampaignDriver(host);
            TestCounty county = await driver.CreateCountyAsync(1, 1);
            string campaign = await driver.CreateAndStartAsync(
                CampaignDriver.Campaign(NewId(), county.Id, selfAssessment: "PT10M"), county.Id, 1);
            string branch = county.Branches[0];

            AzuriteInstance.StopService(queue);
            using HttpResponseMessage failed = await driver.SubmitAsync(campaign, branch, CampaignDriver.Scores(20, 21, 22, 23),
                "队列中断时提交");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
            Assert.Equal("application/problem+json", failed.Content.Headers.ContentType?.MediaType);
            Assert.Equal(TimeSpan.FromSeconds(5), failed.Headers.RetryAfter?.Delta);
            // Accepted all the same (the claim and its event are stored): a retry is told so.
            using HttpResponseMessage retry = await driver.SubmitAsync(campaign, branch, CampaignDriver.Scores(20, 21, 22, 23),
                "队列中断时提交");
            Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);

            processes.Add(AzuriteInstance.LaunchService("queue", queuePort, data));
            AssertTakenIn(await driver.WaitForStageAsync(campaign, branch, Stages.AwaitingTownshipReview, seconds: 120),
                "队列中断时提交");
        }
        finally
        {
            foreach (Process p in processes) { if (!p.HasExited) p.Kill(entireProcessTree: true); p.Dispose(); }
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task A_retry_after_a_lost_event_is_told_it_was_accepted_and_delivers_the_first_action()
    {
        // No sweep during the test, and any unsettled action is old enough: only the retry can deliver it.
        await using LocalHostProcess host = await StartHostAsync(sweepInterval: Never, relayAfter: "00:00:00");
        using var driver = new CampaignDriver(host);
        TestCounty county = await driver.CreateCountyAsync(1, 1);
        string campaign = await driver.CreateAndStartAsync(
            CampaignDriver.Campaign(NewId(), county.Id, selfAssessment: "PT10M"), county.Id, 1);
        string branch = county.Branches[0];
        await AcceptWithoutRaisingAsync(campaign, branch, "第一次提交");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(Stages.AwaitingSelfAssessment, (await driver.EvaluationAsync(campaign, branch)).GetProperty("stage").GetString());

        using HttpResponseMessage retry = await driver.SubmitAsync(campaign, branch, CampaignDriver.Scores(25, 25, 25, 25),
            "重试时改过的总结");
        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
        Assert.Equal("application/problem+json", retry.Content.Headers.ContentType?.MediaType);

        // What was accepted is what counts: the first submission, not the retry's body.
        AssertTakenIn(await driver.WaitForStageAsync(campaign, branch, Stages.AwaitingTownshipReview), "第一次提交");
    }

    [Fact]
    public async Task An_accepted_publication_request_that_never_arrived_is_raised_by_the_sweep()
    {
        await using LocalHostProcess host = await StartHostAsync(sweepInterval: "00:00:01", relayAfter: "00:00:01");
        using var driver = new CampaignDriver(host);
        TestCounty county = await driver.CreateCountyAsync(1, 1);
        string campaign = await driver.CreateAndStartAsync(
            CampaignDriver.Campaign(NewId(), county.Id, selfAssessment: "PT10M", publicity: "PT2S"), county.Id, 1);

        // What the publication handler stores before it raises the event (a forced one: the evaluation is unfinished).
        var (record, etag) = (await Campaigns.GetAsync(campaign))!.Value;
        var requested = new PublicationRequested(true, new Actor("org-1", "组织部", Roles.OrgDepartment), DateTimeOffset.UtcNow);
        Assert.True(await Campaigns.TryReplaceAsync(record with
        {
            PublicationRequestedAt = requested.At, Forced = true, PublicationRequest = requested,
            PublicationRequestMac = Binding.Bind(campaign, null, requested),
        }, etag));

        await Poll.UntilAsync(async () =>
            (await driver.GetCampaignAsync(campaign, county.Id)).GetProperty("status").GetString() == CampaignStatus.Published
                ? "ok" : null,
            TimeSpan.FromSeconds(90), "the campaign to publish", () => host.Output);
        JsonElement closed = await driver.EvaluationAsync(campaign, county.Branches[0]);
        Assert.Equal(Outcomes.NotEvaluated, closed.GetProperty("outcome").GetString());
        Assert.Equal("org-1", closed.GetProperty("history").EnumerateArray().Last().GetProperty("actor").GetString());
    }

    [Fact]
    public async Task A_start_whose_orchestration_was_never_scheduled_is_finished_by_a_retry()
    {
        await using LocalHostProcess host = await StartHostAsync(sweepInterval: "00:01:00", relayAfter: "00:00:30");
        using var driver = new CampaignDriver(host);
        TestCounty county = await driver.CreateCountyAsync(1, 2);
        HttpClient org = driver.As(Roles.OrgDepartment, county.Id);
        string campaign = NewId();
        await CampaignDriver.Expect(await driver.CreateAsync(CampaignDriver.Campaign(campaign, county.Id, selfAssessment: "PT10M")),
            HttpStatusCode.Created);

        // What the start handler stores before it schedules the orchestration, from a start abandoned a minute ago.
        var (record, etag) = (await Campaigns.GetAsync(campaign))!.Value;
        Assert.True(await Campaigns.TryReplaceAsync(
            record with { Status = CampaignStatus.Running, StartedAt = DateTimeOffset.UtcNow.AddMinutes(-1) }, etag));

        using HttpResponseMessage retry = await org.PostAsync($"api/campaigns/{campaign}/start", null);
        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
        await Poll.UntilAsync(async () =>
            (await driver.GetCampaignAsync(campaign, county.Id)).GetProperty("branchCount").ValueKind == JsonValueKind.Number ? "ok" : null,
            TimeSpan.FromSeconds(60), "the start to finish", () => host.Output);
        foreach (string branch in county.Branches)
            Assert.Equal(Stages.AwaitingSelfAssessment, (await driver.EvaluationAsync(campaign, branch)).GetProperty("stage").GetString());
    }

    [Fact]
    public async Task A_self_assessment_accepted_in_time_counts_at_the_deadline_though_its_event_never_arrived()
    {
        // Neither the sweep nor a retry delivers it: the workflow finds it in the outbox once its deadline has passed.
        await using LocalHostProcess host = await StartHostAsync(sweepInterval: Never, relayAfter: Never);
        using var driver = new CampaignDriver(host);
        TestCounty county = await driver.CreateCountyAsync(1, 2);
        string campaign = await driver.CreateAndStartAsync(
            CampaignDriver.Campaign(NewId(), county.Id, selfAssessment: "PT10S"), county.Id, 2);
        string accepted = county.Branches[0], silent = county.Branches[1];
        await AcceptWithoutRaisingAsync(campaign, accepted, "截止前已受理");

        JsonElement taken = await driver.WaitForStageAsync(campaign, accepted, Stages.AwaitingTownshipReview, seconds: 90);
        AssertTakenIn(taken, "截止前已受理");
        JsonElement missed = await driver.WaitForStageAsync(campaign, silent, Stages.Done, seconds: 90);
        Assert.Equal(Outcomes.NotSubmitted, missed.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task An_event_written_into_an_outbox_without_the_hosts_key_is_never_applied_and_verify_reports_it()
    {
        // The sweep runs every second and raises anything a second old; the deadline asks the outbox too.
        await using LocalHostProcess host = await StartHostAsync(sweepInterval: "00:00:01", relayAfter: "00:00:01");
        using var driver = new CampaignDriver(host);
        TestCounty county = await driver.CreateCountyAsync(1, 1);
        string campaign = await driver.CreateAndStartAsync(
            CampaignDriver.Campaign(NewId(), county.Id, selfAssessment: "PT20S"), county.Id, 1);
        string branch = county.Branches[0];
        // An insider who can write the Evaluations table, with a key of their own (the host's is not in the tables).
        await AcceptWithoutRaisingAsync(campaign, branch, "伪造的自评", key: RandomNumberGenerator.GetBytes(32));

        HttpClient org = driver.As(Roles.OrgDepartment, county.Id);
        using (HttpResponseMessage verify = await org.GetAsync($"api/campaigns/{campaign}/audit/verify"))
        {
            JsonElement result = await verify.Content.ReadFromJsonAsync<JsonElement>();
            Assert.False(result.GetProperty("intact").GetBoolean(), result.ToString());
            JsonElement at = result.GetProperty("firstBroken");
            Assert.Equal(branch, at.GetProperty("chain").GetString());
            Assert.Equal(0, at.GetProperty("seq").GetInt32());
            Assert.Contains("not bound to its claim", at.GetProperty("problem").GetString());
        }

        // Many sweeps later it is still not taken in; at the deadline the workflow does not take it either.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(Stages.AwaitingSelfAssessment, (await driver.EvaluationAsync(campaign, branch)).GetProperty("stage").GetString());
        JsonElement missed = await driver.WaitForStageAsync(campaign, branch, Stages.Done, seconds: 90);
        Assert.Equal(Outcomes.NotSubmitted, missed.GetProperty("outcome").GetString());
        Assert.True(!missed.TryGetProperty("submission", out JsonElement submission) || submission.ValueKind == JsonValueKind.Null);
        Assert.Contains("binding does not hold", host.Output);
    }

    [Fact]
    public async Task An_extension_written_into_a_record_without_the_hosts_key_is_never_taken_in_and_verify_reports_it()
    {
        await using LocalHostProcess host = await StartHostAsync(sweepInterval: "00:00:01", relayAfter: "00:00:01");
        using var driver = new CampaignDriver(host);
        TestCounty county = await driver.CreateCountyAsync(1, 1);
        string campaign = await driver.CreateAndStartAsync(
            CampaignDriver.Campaign(NewId(), county.Id, selfAssessment: "PT1H"), county.Id, 1);
        string branch = county.Branches[0];
        // An insider who can write the Evaluations table extends the self-assessment by a year, under a key of their own.
        var seen = await Evaluations.GetExistingAsync(campaign, branch);
        DateTimeOffset deadline = seen.Record.StageDeadline!.Value;
        var forged = new Supervision("sup-" + Guid.NewGuid().ToString("N"), SupervisionKinds.Extension, seen.Record.Stage,
            seen.Record.Round, new Actor("forger@" + county.Id, "伪造", Roles.OrgDepartment), DateTimeOffset.UtcNow, "延期一年")
        {
            Deadline = deadline.AddYears(1),
        };
        PendingSupervision pending = new OutboxBinding(RandomNumberGenerator.GetBytes(32)).Bind(campaign, branch, forged);
        Assert.Null(await Evaluations.SuperviseAsync(seen, r =>
            (r.Supervision with { Pending = [pending], Accepted = [forged.Id] }, null)));

        JsonElement result = await driver.As(Roles.OrgDepartment, county.Id)
            .GetFromJsonAsync<JsonElement>($"api/campaigns/{campaign}/audit/verify");
        Assert.False(result.GetProperty("intact").GetBoolean(), result.ToString());
        JsonElement at = result.GetProperty("firstBroken");
        Assert.Equal(branch, at.GetProperty("chain").GetString());
        Assert.Contains($"the record keeps the extension {forged.Id} that is not bound to it", at.GetProperty("problem").GetString());

        // Many sweeps later the workflow has not taken it in: the deadline stands, and no history entry names it.
        await Task.Delay(TimeSpan.FromSeconds(5));
        JsonElement evaluation = await driver.EvaluationAsync(campaign, branch);
        Assert.Equal(deadline, evaluation.GetProperty("stageDeadline").GetDateTimeOffset());
        Assert.DoesNotContain(evaluation.GetProperty("history").EnumerateArray(),
            h => h.GetProperty("action").GetString() == HistoryActions.DeadlineExtended);
        Assert.Contains("binding does not hold", host.Output);
    }
}

/// <summary>
/// Tests that stop a storage service run alone, after the others: the queue-outage test waits for the outbox's sweep to
/// recover from the outage (the engine retries its activity's abandon until the queue takes it), which under the whole
/// suite's parallel load took longer than the test waits (seen twice in fresh clones on 2026-12-07; alone it passes).
/// </summary>
[CollectionDefinition(nameof(StorageOutages), DisableParallelization = true)]
public sealed class StorageOutages;
