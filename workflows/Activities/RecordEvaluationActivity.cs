using Eval.Workflows.Domain;
using Eval.Workflows.Notifications;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Activities;

/// <summary>
/// Applies one decision of an evaluation's orchestration to its stored record and links it into the evaluation's
/// audit chain (once each, whatever the redeliveries). The link is written first and the record then carries its hash,
/// so the next decision chains to it without reading the Audit table; a record at this Seq means its link exists. The link
/// holds the digest of what the change decides (<see cref="AuditContent.OfChange"/>), which the verifier recomputes. What the
/// evaluation then waits for, and from whom, is written to the inbox's index before the record (<see cref="InboxIndex"/>), so a
/// record's stage and StageDeadline always have their items. Then what the change tells people (<see cref="StepNotifier"/>:
/// the reminders of a new deadline, a missed deadline, an urging or extension taken in), on a repeat too: those writes are
/// idempotent.
/// </summary>
public sealed class RecordEvaluationActivity(EvaluationStore evaluations, AuditStore audit, InboxIndex inbox, StepNotifier notifier,
    ILogger<RecordEvaluationActivity> log)
    : EvalActivity<EvaluationChange, bool>
{
    public override async Task<bool> RunAsync(EvaluationChange change)
    {
        var current = await evaluations.GetExistingAsync(change.CampaignId, change.BranchId);
        bool applied = false;
        if (current.Record.Seq < change.Seq)
        {
            // The head is the previous link's hash only when the record is exactly one change behind; else read the link.
            string? prev = current.Record.Seq == change.Seq - 1 ? current.Record.AuditHead : null;
            EvaluationRecord next = change.ApplyTo(current.Record);
            string? content = AuditContent.OfChange(change, next);
            string head = await audit.AppendAsync(change.CampaignId, change.BranchId, change.Seq, change.Entry, prev, content);
            await inbox.FollowEvaluationAsync(current.Record, next);
            applied = await evaluations.ApplyAsync(change, head, current);
            await notifier.AfterChangeAsync(change, current.Record, next);
        }
        else if (current.Record.AuditHead is null)
        {
            // Applied before the head was kept, when the record was written before its link: write the link again, as it was
            // then (without content, which a link of that time never held).
            await audit.AppendAsync(change.CampaignId, change.BranchId, change.Seq, change.Entry);
        }
        else if (current.Record.Seq == change.Seq)
        {
            // Applied by an attempt that may have died before it told anyone: told again (each notice is kept once).
            await notifier.AfterChangeAsync(change, current.Record, current.Record);
        }
        log.LogDebug("Recorded {Action} (seq {Seq}) for {CampaignId}/{BranchId} of instance {InstanceId}{Repeat}",
            change.Entry.Action, change.Seq, change.CampaignId, change.BranchId,
            InstanceIds.Evaluation(change.CampaignId, change.BranchId), applied ? "" : " (already applied)");
        return applied;
    }
}
