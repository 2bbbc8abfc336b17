using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Notifications;

/// <summary>
/// One pass over the reminders due: for each, whether the step still waits with that deadline (the same stage, round and
/// deadline, its claims not all taken; a change still awaiting its decision by that due time), and if so the reminder is
/// kept in table Notifications under an id made of what it reminds of, so however often a pass runs (two hosts, a crash
/// before the delete) it is told once; then the row goes. Run every <see cref="ReminderOptions.SweepInterval"/> by the
/// hosts (the local host's ReminderSweepService, the Functions app's timer).
/// </summary>
public sealed class ReminderSweep(ReminderStore store, EvaluationStore evaluations, HonourChangeStore changes, NotificationOutbox outbox,
    TimeProvider clock, ILogger<ReminderSweep> log)
{
    const int Parallel = 8;

    /// <summary>The Functions app's timer function that runs a pass.</summary>
    public const string FunctionName = "SweepReminders";

    static ParallelOptions Options(CancellationToken ct) => new() { MaxDegreeOfParallelism = Parallel, CancellationToken = ct };

    /// <summary>Tells the reminders due now; returns how many were told.</summary>
    public async Task<int> SweepAsync(CancellationToken ct = default)
    {
        DateTimeOffset now = clock.GetUtcNow();
        var due = new List<Reminder>();
        await foreach (Reminder r in store.DueAsync(now, ct)) due.Add(r);
        if (due.Count == 0) return 0;
        int told = 0;
        await System.Threading.Tasks.Parallel.ForEachAsync(due, Options(ct),
            async (reminder, token) =>
            {
                int n = reminder.Kind switch
                {
                    ReminderKinds.Evaluation => await EvaluationAsync(reminder, now, token),
                    ReminderKinds.Stage => await StageAsync(reminder, now, token),
                    ReminderKinds.HonourChange => await DecisionAsync(reminder, now, token),
                    _ => 0,
                };
                await store.DeleteAsync(reminder, token);
                Interlocked.Add(ref told, n);
            });
        log.LogInformation("Reminder sweep: {Due} due, {Told} told", due.Count, told);
        return told;
    }

    async Task<int> EvaluationAsync(Reminder r, DateTimeOffset now, CancellationToken ct)
    {
        if (await evaluations.GetAsync(r.CampaignId, r.BranchId!, ct) is not var (record, _)) return 0;
        if (!StillWaits(record.Stage, record.Round, record.StageDeadline, record.Claims, r)) return 0;
        return await TellAsync(r, record.BranchId, record.BranchName, now, ct) ? 1 : 0;
    }

    /// <summary>Every evaluation of the campaign still at the stage and round with the deadline: one query of its partition.</summary>
    async Task<int> StageAsync(Reminder r, DateTimeOffset now, CancellationToken ct)
    {
        var waiting = new List<(string Id, string Name)>();
        await foreach (TableEntity e in evaluations.Query(r.CampaignId, null, r.Stage,
            select: ["RowKey", "BranchName", "Round", "StageDeadline", "Claims"], pageSize: 1000).WithCancellation(ct))
        {
            var claims = Json.Read<List<string>>(e.GetString("Claims")) ?? [];
            if (StillWaits(r.Stage!, e.GetInt32("Round") ?? 0, e.GetDateTimeOffset("StageDeadline"), claims, r))
                waiting.Add((e.RowKey, e.GetString("BranchName") ?? e.RowKey));
        }
        int told = 0;
        await System.Threading.Tasks.Parallel.ForEachAsync(waiting, Options(ct),
            async (b, token) => { if (await TellAsync(r, b.Id, b.Name, now, token)) Interlocked.Increment(ref told); });
        return told;
    }

    async Task<int> DecisionAsync(Reminder r, DateTimeOffset now, CancellationToken ct)
    {
        if (await changes.GetAsync(r.CampaignId, r.BranchId!, r.ChangeId!, ct) is not var (change, _)) return 0;
        if (change.Status != HonourChangeStatus.Proposed || change.Decision is not null || !Same(change.DecisionDue, r.Deadline)) return 0;
        var to = new Recipient(UnitPath.AncestorAt(change.BranchId, 2), Roles.OrgDepartment);
        var data = new JsonObject
        {
            ["campaignId"] = r.CampaignId, ["branchId"] = change.BranchId, ["changeId"] = change.Id, ["kind"] = change.Kind,
            ["decisionDue"] = StepNotices.Iso(change.DecisionDue), ["before"] = r.Before, ["remindAt"] = StepNotices.Iso(r.FireAt),
        };
        string what = change.Kind == HonourChangeKinds.Revoke ? "撤销" : "降级";
        string text = $"【提醒】{r.BranchName ?? change.BranchId}荣誉{what}的审批将于" +
            $"{StepNotices.When(change.DecisionDue)}截止。";
        return await outbox.EnqueueAsync(new Notification(
            NotificationOutbox.IdOf(NotificationTypes.Reminder, r.CampaignId, change.Id, StepNotices.Iso(r.Deadline), r.Before),
            NotificationTypes.Reminder, now, to.Unit, to.Role, r.CampaignId,
            $"campaigns/{r.CampaignId}/honours/{change.BranchId}/changes/{change.Id}",
            text, data), ct) ? 1 : 0;
    }

    /// <summary>The step still waits as when the reminder was scheduled, and not every claim it needs has been accepted.</summary>
    static bool StillWaits(string stage, int round, DateTimeOffset? deadline, IReadOnlyList<string> claims, Reminder r) =>
        stage == r.Stage && round == r.Round && deadline is { } d && Same(d, r.Deadline)
        && claims.Count(c => IsClaimOf(c, $"{r.Stage}:{r.Round}")) < r.Needed;

    // "stage:round", "stage:round#op=…" or "stage:round:scorer…": the step's claims of that round.
    static bool IsClaimOf(string claim, string prefix) =>
        claim.StartsWith(prefix, StringComparison.Ordinal) && (claim.Length == prefix.Length || claim[prefix.Length] is ':' or '#');

    // Stored times may lose their last digits in a table; a deadline moved by an extension differs by far more.
    static bool Same(DateTimeOffset a, DateTimeOffset b) => (a - b).Duration() < TimeSpan.FromMilliseconds(1);

    async Task<bool> TellAsync(Reminder r, string branchId, string branchName, DateTimeOffset now, CancellationToken ct)
    {
        Recipient to = StepNotices.WaitsOn(r.Stage!, branchId);
        JsonObject data = StepNotices.Data(r.CampaignId, branchId, r.Stage!, r.Round, r.Deadline);
        data["before"] = r.Before;
        data["remindAt"] = StepNotices.Iso(r.FireAt);
        return await outbox.EnqueueAsync(new Notification(
            NotificationOutbox.IdOf(NotificationTypes.Reminder, r.CampaignId, branchId, r.Stage!, $"round {r.Round}",
                StepNotices.Iso(r.Deadline), r.Before),
            NotificationTypes.Reminder, now, to.Unit, to.Role, r.CampaignId, StepNotices.Subject(r.CampaignId, branchId),
            StepNotices.Reminder(branchName, r.Stage!, r.Deadline), data), ct);
    }
}

/// <summary>How often the hosts sweep the reminders due (Reminders:SweepInterval).</summary>
public sealed class ReminderOptions
{
    public const string Section = "Reminders";

    /// <summary>A reminder is told at most about this long after its moment. One range query of table Reminders a pass.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);
}
