using System.Text.Json.Nodes;
using Eval.Workflows.Domain;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Notifications;

/// <summary>
/// What an evaluation's recorded change tells people, written by RecordEvaluationActivity once the change is applied (again
/// on a repeat: every write here is idempotent): a new deadline of the waiting step schedules its reminders; a missed
/// deadline is told to whom the step waited on and whoever may act in their place; an urging or extension taken in is
/// told to whom the step waits on. Ids come from the change (its Seq, the supervision's id), so each is told once.
/// </summary>
public sealed class StepNotifier(ReminderScheduler reminders, NotificationOutbox outbox, ILogger<StepNotifier> log)
{
    /// <param name="before">The record as read before the change (on a repeat: already with it).</param>
    /// <param name="after">The record with the change applied.</param>
    public async Task AfterChangeAsync(EvaluationChange change, EvaluationRecord before, EvaluationRecord after,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        string? missedStage = MissedStage(change.Entry.Action);
        bool newDeadline = change.StageDeadline is not null && SupervisionRules.IsWaitingStep(after.Stage);
        if (!newDeadline && missedStage is null && change.Supervised is null) return;
        if (await reminders.DefinitionAsync(change.CampaignId, ct) is not { } campaign) return;

        if (newDeadline)
            await reminders.ScheduleStepAsync(campaign, after, after.Stage, after.Round, change.StageDeadline!.Value, ct);
        if (missedStage is not null && campaign.ReminderRules().TellsMiss)
            await TellMissedAsync(change, before, missedStage, ct);
        if (change.Supervised is { } s && change.SupervisedInEffect)
            await TellSupervisedAsync(change, s, after, ct);
    }

    /// <summary>The stage whose deadline a change records as missed, if it does.</summary>
    static string? MissedStage(string action) => action switch
    {
        HistoryActions.SelfAssessmentMissed => Stages.AwaitingSelfAssessment,
        HistoryActions.TownshipReviewOverdue => Stages.AwaitingTownshipReview,
        HistoryActions.CountyScoringOverdue => Stages.AwaitingCountyScore,
        _ => null,
    };

    async Task TellMissedAsync(EvaluationChange change, EvaluationRecord before, string stage, CancellationToken ct)
    {
        // On a repeat the record holds the change already, and a missed self-assessment has cleared its deadline.
        DateTimeOffset deadline = before.StageDeadline ?? change.Entry.Time;
        string branchId = change.BranchId;
        var told = new List<Recipient> { StepNotices.WaitsOn(stage, branchId) };
        if (StepNotices.StandsIn(stage, branchId) is { } standIn) told.Add(standIn);
        foreach (Recipient to in told)
        {
            JsonObject data = StepNotices.Data(change.CampaignId, branchId, stage, before.Round, deadline);
            data["standsIn"] = to != told[0];
            await outbox.EnqueueAsync(new Notification(
                NotificationOutbox.IdOf(NotificationTypes.Overdue, change.CampaignId, branchId, $"seq {change.Seq}", to.Unit, to.Role),
                NotificationTypes.Overdue, change.Entry.Time, to.Unit, to.Role, change.CampaignId,
                StepNotices.Subject(change.CampaignId, branchId),
                StepNotices.Missed(before.BranchName, stage, deadline, standingIn: to != told[0]), data), ct);
        }
        log.LogInformation("Told {CampaignId}/{BranchId}'s missed {Stage} deadline to {Count} recipients",
            change.CampaignId, branchId, stage, told.Count);
    }

    async Task TellSupervisedAsync(EvaluationChange change, Supervision s, EvaluationRecord after, CancellationToken ct)
    {
        bool urge = s.Kind == SupervisionKinds.Urge;
        Recipient to = StepNotices.WaitsOn(s.Stage, change.BranchId);
        JsonObject data = StepNotices.Data(change.CampaignId, change.BranchId, s.Stage, s.Round, after.StageDeadline);
        data["by"] = new JsonObject { ["id"] = s.By.Id, ["name"] = s.By.Name, ["role"] = s.By.Role };
        data[urge ? "message" : "reason"] = s.Text;
        string type = urge ? NotificationTypes.Urged : NotificationTypes.DeadlineExtended;
        await outbox.EnqueueAsync(new Notification(
            NotificationOutbox.IdOf(type, change.CampaignId, change.BranchId, s.Id, to.Unit, to.Role), type, s.At, to.Unit, to.Role,
            change.CampaignId, StepNotices.Subject(change.CampaignId, change.BranchId),
            urge ? StepNotices.Urged(after.BranchName, s, after.StageDeadline) : StepNotices.Extended(after.BranchName, s), data), ct);
    }
}
