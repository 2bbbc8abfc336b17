using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;
using Eval.Workflows.Notifications;
using Eval.Workflows.Orchestrations;
using Eval.Workflows.Storage;

namespace Eval.FunctionalTests;

/// <summary>A local host that sweeps its reminders every second, so a campaign of seconds gets its reminders on time.</summary>
public sealed class ReminderHostFixture : IAsyncLifetime
{
    public string TablePrefix { get; } = "t" + Guid.NewGuid().ToString("N")[..8];
    public LocalHostProcess Host { get; private set; } = null!;
    public TableServiceClient Tables { get; } = new(AzuriteInstance.Shared.ConnectionString);

    public TableClient Table(string logicalName) => Tables.GetTableClient(TablePrefix + logicalName);

    public async Task InitializeAsync() =>
        Host = await LocalHostProcess.StartAsync(AzuriteInstance.Shared.ConnectionString, LocalHostProcess.NewHubName(),
            settings: new Dictionary<string, string> { ["Storage__TablePrefix"] = TablePrefix, ["Reminders__SweepInterval"] = "00:00:01" });

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// Reminders, urgings and deadline extensions (issue 25) over HTTP on a real host: reminders told at their moments of a
/// campaign of seconds and none once the step is taken, a missed deadline told; an urging recorded in the history and the
/// audit chain, told, refused a second time the same day, out of scope and when nothing waits; an extension that re-arms the
/// workflow's timer (the step is taken after the old deadline), whose reminders follow the new deadline.
/// </summary>
public sealed class SupervisionTests(ReminderHostFixture fx) : IClassFixture<ReminderHostFixture>, IDisposable
{
    /// <summary>How late a reminder may be told: the sweep runs every second, and a pass takes a moment on a busy machine.</summary>
    static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(4);

    readonly CampaignDriver driver = new(fx.Host);

    public void Dispose() => driver.Dispose();

    async Task<string> StartAsync(TestCounty county, string selfAssessment, string townshipReview, params string[] before) =>
        await driver.CreateAndStartAsync(CampaignDriver.Campaign("rm-" + Guid.NewGuid().ToString("N")[..8], county.Id,
            selfAssessment: selfAssessment, townshipReview: townshipReview, countyScoring: "PT5M")
            with { Reminders = new ReminderRules { Before = before } }, county.Id, county.Branches.Count);

    async Task<List<Notification>> NotificationsAsync(string campaign)
    {
        var kept = new List<Notification>();
        await foreach (TableEntity e in fx.Table(EvalTables.Notifications).QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {campaign}")))
            kept.Add(Json.Read<Notification>(e.GetString("Record"))!);
        return [.. kept.OrderBy(n => n.Time)];
    }

    static string? Data(Notification n, string name) => n.Data?[name]?.GetValue<string>();

    static void AssertTold(Notification n, DateTimeOffset at, string what)
    {
        Assert.True(n.Time >= at - TimeSpan.FromMilliseconds(50) && n.Time <= at + Tolerance,
            $"{what} told at {n.Time:O}, expected {at:O} (+ {Tolerance.TotalSeconds} s)");
    }

    Task<HttpResponseMessage> UrgeAsync(string campaign, string branch, string role, string unit, string message = "请尽快办理。",
        string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/campaigns/{campaign}/evaluations/{branch}/urge")
        {
            Content = JsonContent.Create(new { message }),
        };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return driver.As(role, unit).SendAsync(request);
    }

    Task<HttpResponseMessage> ExtendAsync(string campaign, string branch, object body, string role = Roles.OrgDepartment,
        string? unit = null) =>
        driver.As(role, unit ?? CampaignDriver.CountyOf(branch))
            .PostAsJsonAsync($"api/campaigns/{campaign}/evaluations/{branch}/deadline", body);

    async Task SubmitAsync(string campaign, string branch) =>
        await CampaignDriver.Expect(await driver.SubmitAsync(campaign, branch, CampaignDriver.Scores(24, 24, 24, 24)),
            HttpStatusCode.Accepted);

    static DateTimeOffset DeadlineOf(JsonElement evaluation) => evaluation.GetProperty("stageDeadline").GetDateTimeOffset();

    [Fact]
    public async Task Reminders_are_told_at_their_moments_none_once_the_step_is_taken_and_a_missed_deadline_is_told()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 3);
        var (late, taken, missed) = (county.Branches[0], county.Branches[1], county.Branches[2]);
        // A self-assessment of 30 s with reminders 20 s and 10 s before its deadline.
        string campaign = await StartAsync(county, "PT30S", "PT1H", "PT20S", "PT10S");
        DateTimeOffset deadline = DeadlineOf(await driver.EvaluationAsync(campaign, missed));

        // One branch submits before any reminder, one between the two.
        await SubmitAsync(campaign, taken);
        await Task.Delay(deadline - TimeSpan.FromSeconds(20) + TimeSpan.FromSeconds(2.5) - DateTimeOffset.UtcNow);
        await SubmitAsync(campaign, late);
        // The third never does: its evaluation ends at the deadline and its grace.
        await driver.WaitForStageAsync(campaign, missed, "done", seconds: 90);
        await Task.Delay(TimeSpan.FromSeconds(3));

        List<Notification> told = await NotificationsAsync(campaign);
        Notification[] ofMissed = [.. told.Where(n => n.Subject.EndsWith(missed, StringComparison.Ordinal))];
        Notification[] reminders = [.. ofMissed.Where(n => n.Type == NotificationTypes.Reminder)];
        Assert.Equal(["PT20S", "PT10S"], reminders.Select(n => Data(n, "before")));
        AssertTold(reminders[0], deadline - TimeSpan.FromSeconds(20), "the first reminder");
        AssertTold(reminders[1], deadline - TimeSpan.FromSeconds(10), "the second reminder");
        Assert.All(reminders, n => Assert.Equal((missed, Roles.BranchSecretary), (n.Unit, n.Role)));
        Assert.StartsWith("【提醒】第1苏木第3嘎查党支部的自评将于", reminders[0].Text);
        Notification overdue = Assert.Single(ofMissed, n => n.Type == NotificationTypes.Overdue);
        Assert.Equal((missed, Roles.BranchSecretary), (overdue.Unit, overdue.Role));
        // Told by the workflow as it ends the evaluation: at the deadline and the grace it waits past it for submissions in flight.
        AssertTold(overdue, deadline + EvaluationOrchestrator.InFlightGrace, "the missed deadline");
        Assert.StartsWith("【逾期】", overdue.Text);

        // The branch that submitted between the reminders had the first only; the one that submitted at once had none.
        Notification lateOne = Assert.Single(told, n => n.Subject.EndsWith(late, StringComparison.Ordinal));
        Assert.Equal("PT20S", Data(lateOne, "before"));
        Assert.DoesNotContain(told, n => n.Subject.EndsWith(taken, StringComparison.Ordinal) && n.Data?["stage"]?.GetValue<string>()
            == Stages.AwaitingSelfAssessment);
        // Every reminder is told once, however many passes ran: the table holds nothing more of this campaign's.
        Assert.Equal(told.Count, told.Select(n => n.Id).Distinct().Count());
    }

    [Fact]
    public async Task An_urging_is_recorded_audited_and_told_once_a_day_by_a_superior_of_the_waiting_step()
    {
        TestCounty county = await driver.CreateCountyAsync(2, 2);
        string branch = county.Branches[0], rejected = county.Branches[1], elsewhere = county.Branches[2];
        string township = CampaignDriver.TownshipOf(branch);
        string campaign = await StartAsync(county, "PT1H", "PT1H");

        // Not above the step, or not over the branch: 403; a body the schema refuses: 422.
        await CampaignDriver.Expect(await UrgeAsync(campaign, branch, Roles.BranchSecretary, branch), HttpStatusCode.Forbidden);
        await CampaignDriver.Expect(await UrgeAsync(campaign, branch, Roles.TownshipReviewer, CampaignDriver.TownshipOf(elsewhere)),
            HttpStatusCode.Forbidden);
        await CampaignDriver.Expect(await UrgeAsync(campaign, branch, Roles.TownshipReviewer, township, message: " "),
            HttpStatusCode.UnprocessableEntity);

        string key = Guid.NewGuid().ToString("N");
        const string message = "请于本周内完成自评。";
        using HttpResponseMessage urged = await UrgeAsync(campaign, branch, Roles.TownshipReviewer, township, message, key);
        await CampaignDriver.Expect(urged, HttpStatusCode.Accepted);
        JsonElement accepted = await urged.Content.ReadFromJsonAsync<JsonElement>();
        // Its repeat under the same key is the same urging; another one the same day is refused, saying from when.
        using HttpResponseMessage repeat = await UrgeAsync(campaign, branch, Roles.TownshipReviewer, township, message, key);
        await CampaignDriver.Expect(repeat, HttpStatusCode.Accepted);
        JsonElement repeated = await repeat.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(accepted.GetProperty("id").GetString(), repeated.GetProperty("id").GetString());
        using HttpResponseMessage again = await UrgeAsync(campaign, branch, Roles.OrgDepartment, county.Id);
        await CampaignDriver.Expect(again, HttpStatusCode.Conflict);
        JsonElement problem = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(accepted.GetProperty("mayUrgeAgainAt").GetDateTimeOffset(), problem.GetProperty("mayUrgeAt").GetDateTimeOffset());

        JsonElement evaluation = await driver.WaitForAsync(campaign, branch,
            e => e.GetProperty("history").EnumerateArray().Any(h => h.GetProperty("action").GetString() == HistoryActions.Urged),
            "to record the urging");
        JsonElement entry = evaluation.GetProperty("history").EnumerateArray().Single(h => h.GetProperty("action").GetString() == "urged");
        Assert.Equal(Roles.TownshipReviewer, entry.GetProperty("role").GetString());
        Assert.EndsWith("请于本周内完成自评。", entry.GetProperty("detail").GetString());
        Assert.Equal("awaiting-self-assessment", evaluation.GetProperty("stage").GetString());
        // The evaluation shows when it was urged and from when it may be urged again, as the urging's answer said.
        DateTimeOffset mayUrgeAgainAt = accepted.GetProperty("mayUrgeAgainAt").GetDateTimeOffset();
        Assert.Equal(mayUrgeAgainAt, evaluation.GetProperty("mayUrgeAgainAt").GetDateTimeOffset());
        Assert.Equal(mayUrgeAgainAt.AddDays(-1), evaluation.GetProperty("lastUrgedAt").GetDateTimeOffset());

        Notification told = await Poll.UntilAsync(async () =>
            (await NotificationsAsync(campaign)).SingleOrDefault(n => n.Type == NotificationTypes.Urged), TimeSpan.FromSeconds(20),
            "the urging to be told", () => fx.Host.Output);
        Assert.Equal((branch, Roles.BranchSecretary), (told.Unit, told.Role));
        Assert.StartsWith("【催办】苏木乡镇审核人催办第1苏木第1嘎查党支部的自评", told.Text);
        Assert.Equal("请于本周内完成自评。", Data(told, "message"));

        // Past the self-assessment only those above the township review urge it; a finished evaluation waits for no one.
        await CampaignDriver.Expect(await driver.SubmitAsync(campaign, rejected, CampaignDriver.Scores(20, 20, 20, 20)),
            HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, rejected, "awaiting-township-review");
        await CampaignDriver.Expect(await UrgeAsync(campaign, rejected, Roles.TownshipReviewer, township), HttpStatusCode.Forbidden);
        await CampaignDriver.Expect(await driver.ReviewAsync(campaign, rejected, "reject", "材料不实"), HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, rejected, "done");
        using HttpResponseMessage notWaiting = await UrgeAsync(campaign, rejected, Roles.OrgDepartment, county.Id);
        await CampaignDriver.Expect(notWaiting, HttpStatusCode.Conflict);
        Assert.Equal("not-waiting", (await notWaiting.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString()
            ?.Split('/').Last());

        JsonElement verify = await driver.As(Roles.OrgDepartment, county.Id)
            .GetFromJsonAsync<JsonElement>($"api/campaigns/{campaign}/audit/verify");
        Assert.True(verify.GetProperty("intact").GetBoolean(), verify.ToString());
    }

    [Fact]
    public async Task An_extension_re_arms_the_timer_and_the_reminders_follow_the_new_deadline()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 1);
        string branch = county.Branches[0];
        string campaign = await StartAsync(county, "PT1H", "PT20S", "PT10S", "PT5S");
        await SubmitAsync(campaign, branch);
        DateTimeOffset old = DeadlineOf(await driver.WaitForStageAsync(campaign, branch, "awaiting-township-review"));

        // The township may not extend its own step; a deadline not later than the current one is refused.
        await CampaignDriver.Expect(await ExtendAsync(campaign, branch, new { extendBy = "PT30S", reason = "防汛" },
            Roles.TownshipReviewer, CampaignDriver.TownshipOf(branch)), HttpStatusCode.Forbidden);
        await CampaignDriver.Expect(await ExtendAsync(campaign, branch, new { deadline = old.AddSeconds(-1), reason = "防汛" }),
            HttpStatusCode.UnprocessableEntity);
        var both = new { extendBy = "PT30S", deadline = old.AddMinutes(1), reason = "x" };
        await CampaignDriver.Expect(await ExtendAsync(campaign, branch, both), HttpStatusCode.UnprocessableEntity);

        await CampaignDriver.Expect(await ExtendAsync(campaign, branch, new { extendBy = "PT30S", reason = "防汛工作，延期审核" },
            Roles.CountyScorer), HttpStatusCode.Accepted);
        DateTimeOffset extended = old + TimeSpan.FromSeconds(30);
        JsonElement evaluation = await driver.WaitForAsync(campaign, branch, e => DeadlineOf(e) == extended, "to take the extension");
        JsonElement entry = evaluation.GetProperty("history").EnumerateArray().Last();
        Assert.Equal((HistoryActions.DeadlineExtended, Roles.CountyScorer),
            (entry.GetProperty("action").GetString(), entry.GetProperty("role").GetString()));
        Assert.False(evaluation.GetProperty("overdue").GetBoolean());

        // Past the old deadline the review is not overdue (a county scorer may not stand in) and the township still reviews.
        await Task.Delay(extended - TimeSpan.FromSeconds(4) - DateTimeOffset.UtcNow);
        Assert.False((await driver.EvaluationAsync(campaign, branch)).GetProperty("overdue").GetBoolean());
        await CampaignDriver.Expect(await driver.ReviewAsync(campaign, branch, "approve", role: Roles.CountyScorer,
            unit: county.Id), HttpStatusCode.Forbidden);
        await CampaignDriver.Expect(await driver.ReviewAsync(campaign, branch, "approve"), HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, branch, "awaiting-county-score");
        await Task.Delay(TimeSpan.FromSeconds(5));

        List<Notification> told = await NotificationsAsync(campaign);
        Notification notice = Assert.Single(told, n => n.Type == NotificationTypes.DeadlineExtended);
        Assert.Equal((CampaignDriver.TownshipOf(branch), Roles.TownshipReviewer), (notice.Unit, notice.Role));
        Assert.StartsWith("【延期】", notice.Text);
        // The old deadline's reminders were moot by their moments; the new deadline's came at theirs, until the review.
        Notification[] reminders = [.. told.Where(n => n.Type == NotificationTypes.Reminder)];
        Assert.All(reminders, n => Assert.Equal(StepNotices.Iso(extended), Data(n, "deadline")));
        Notification first = Assert.Single(reminders, n => Data(n, "before") == "PT10S");
        AssertTold(first, extended - TimeSpan.FromSeconds(10), "the new deadline's first reminder");
        Assert.DoesNotContain(told, n => n.Type == NotificationTypes.Overdue);

        JsonElement verify = await driver.As(Roles.OrgDepartment, county.Id)
            .GetFromJsonAsync<JsonElement>($"api/campaigns/{campaign}/audit/verify");
        Assert.True(verify.GetProperty("intact").GetBoolean(), verify.ToString());
    }

    [Fact]
    public async Task An_evaluation_whose_workflow_predates_supervision_is_neither_urged_nor_extended()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 1);
        string branch = county.Branches[0];
        string campaign = await StartAsync(county, "PT1H", "PT1H");
        // As an evaluation started by the workflow's version 2 stands: its record says so.
        TableClient evaluations = fx.Table(EvalTables.Evaluations);
        TableEntity row = (await evaluations.GetEntityAsync<TableEntity>(campaign, branch)).Value;
        row["WorkflowVersion"] = SupervisionRules.FromVersion - 1;
        await evaluations.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Merge);
        ETag before = (await evaluations.GetEntityAsync<TableEntity>(campaign, branch)).Value.ETag;

        using HttpResponseMessage urged = await UrgeAsync(campaign, branch, Roles.OrgDepartment, county.Id);
        await CampaignDriver.Expect(urged, HttpStatusCode.Conflict);
        Assert.Contains("started before urgings and extensions existed",
            (await urged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        await CampaignDriver.Expect(await ExtendAsync(campaign, branch, new { extendBy = "P1D", reason = "汛期" }),
            HttpStatusCode.Conflict);
        // Nothing was kept on the record.
        Assert.Equal(before, (await evaluations.GetEntityAsync<TableEntity>(campaign, branch)).Value.ETag);
    }

    [Fact]
    public async Task A_decision_on_an_honour_change_is_reminded_before_it_is_due_unless_it_was_decided()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 10);
        string id = "rmc-" + Guid.NewGuid().ToString("N")[..8];
        // Decisions due 20 s after a proposal, reminded 12 s before.
        CampaignDefinition definition = CampaignDriver.Campaign(id, county.Id) with
        {
            HonourChanges = new HonourChangeRules { Reasons = [HonourReasons.Veto], DecisionWithin = "PT20S", NoticeFor = "PT5S" },
            Reminders = new ReminderRules { Before = ["PT12S"] },
        };
        await driver.CreateAndStartAsync(definition, county.Id, county.Branches.Count);
        await driver.ScoreAllAsync(id, county);
        HttpClient org = driver.As(Roles.OrgDepartment, county.Id);
        await CampaignDriver.Expect(await org.PostAsJsonAsync($"api/campaigns/{id}/publication", new { }), HttpStatusCode.Accepted);
        JsonElement published = await driver.RatingsAsync(id, "published", seconds: 120);
        string[] titled = [.. published.GetProperty("ratings").EnumerateArray()
            .Where(r => r.GetProperty("level").ValueKind == JsonValueKind.String).Select(r => r.GetProperty("branchId").GetString()!)];
        var (waiting, decided) = (titled[0], titled[1]);

        HttpClient scorer = driver.As(Roles.CountyScorer, county.Id);
        async Task<JsonElement> ProposeAsync(string branch)
        {
            using HttpResponseMessage proposed = await scorer.PostAsJsonAsync($"api/campaigns/{id}/honours/{branch}/changes",
                new { kind = "revoke", reasonCategory = HonourReasons.Veto, description = "发生一票否决事项。" });
            await CampaignDriver.Expect(proposed, HttpStatusCode.Accepted);
            string change = (await proposed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changeId").GetString()!;
            return await org.GetFromJsonAsync<JsonElement>($"api/campaigns/{id}/honours/{branch}/changes/{change}");
        }
        JsonElement left = await ProposeAsync(waiting), settled = await ProposeAsync(decided);
        await CampaignDriver.Expect(await org.PostAsJsonAsync(
            $"api/campaigns/{id}/honours/{decided}/changes/{settled.GetProperty("id").GetString()}/decision",
            new { approve = false, comment = "证据不足。" }), HttpStatusCode.Accepted);

        DateTimeOffset due = left.GetProperty("decisionDue").GetDateTimeOffset();
        Notification reminder = await Poll.UntilAsync(async () => (await NotificationsAsync(id)).SingleOrDefault(n =>
                n.Type == NotificationTypes.Reminder && n.Subject.EndsWith(left.GetProperty("id").GetString()!, StringComparison.Ordinal)),
            TimeSpan.FromSeconds(40), "the decision's reminder", () => fx.Host.Output);
        AssertTold(reminder, due - TimeSpan.FromSeconds(12), "the decision's reminder");
        Assert.Equal((county.Id, Roles.OrgDepartment, "PT12S"), (reminder.Unit, reminder.Role, Data(reminder, "before")));
        Assert.StartsWith("【提醒】", reminder.Text);
        Assert.Contains("荣誉撤销的审批将于", reminder.Text);

        // The decided one is reminded of nothing, though its reminder's moment has passed too.
        await Task.Delay(settled.GetProperty("decisionDue").GetDateTimeOffset() - TimeSpan.FromSeconds(12) + Tolerance
            - DateTimeOffset.UtcNow is { Ticks: > 0 } wait ? wait : TimeSpan.Zero);
        Assert.DoesNotContain(await NotificationsAsync(id), n => n.Type == NotificationTypes.Reminder
            && n.Subject.EndsWith(settled.GetProperty("id").GetString()!, StringComparison.Ordinal));
    }
}
