using Eval.Workflows.Domain;
using Eval.Workflows.Notifications;
using Eval.Workflows.Outbox;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Activities;

/// <summary>
/// A step of a change's workflow on its row: overdue (unless a decision is stored already), approved, the notice opened or
/// closed, refused or withdrawn (which frees the branch for the next proposal). Each is written at the row's ETag, so
/// a decision or objection stored meanwhile is never overwritten, and a step written already is not written again.
/// Returns the row as it then stands, and moves the change's item in the inbox where it waits now (an overdue decision to
/// the campaign's unit; none once decided or ended). An overdue mark tells the organization department that missed the
/// decision and the one it is escalated to (unless the campaign says not to tell missed deadlines).
/// </summary>
public sealed class MarkHonourChangeActivity(HonourChangeStore changes, AuditStore audit, OutboxBinding binding, InboxIndex inbox,
    ReminderScheduler reminders, NotificationOutbox outbox, ILogger<MarkHonourChangeActivity> log)
    : EvalActivity<HonourChangeMark, HonourChangeState>
{
    public override async Task<HonourChangeState> RunAsync(HonourChangeMark input)
    {
        while (true)
        {
            var (change, etag) = await changes.GetAsync(input.CampaignId, input.BranchId, input.ChangeId)
                ?? throw new InvalidOperationException($"No honour change '{input.ChangeId}' of {input.CampaignId}/{input.BranchId}.");
            // A decision the API did not write (its binding does not hold) counts as none, here as in ReadHonourChange.
            bool decided = binding.HoldsDecision(change);
            if (Marked(change, decided, input) is not { } marked)
            {
                // Marked by an attempt that may have died before it told anyone (each notice is kept once).
                if (input.Status == HonourChangeStatus.Overdue && change.Status == HonourChangeStatus.Overdue)
                    await TellOverdueAsync(change);
                await inbox.FollowHonourChangeAsync(change, decided);
                return change.State(decided);
            }
            // The link before the row: a repeat after a crash finds the row unmarked and links the same entry, linked once.
            if (AuditAction(input.Status) is { } action)
                await audit.AppendToChangeAsync(change, new HistoryEntry(input.At, SystemActor.Instance.Id,
                    SystemActor.Instance.Role, action, HonourChangeAudit.Detail(change, input.Outcome)));
            bool written = HonourChangeStatus.IsEnded(marked.Status)
                ? await changes.TryEndAsync(marked, etag) : await changes.TryReplaceAsync(marked, etag);
            if (!written) continue; // a decision or an objection was stored meanwhile: mark what is there now
            log.LogInformation("Honour change {ChangeId} of {CampaignId}/{BranchId}: {Mark}", input.ChangeId, input.CampaignId,
                input.BranchId, input.Status);
            if (marked.Status == HonourChangeStatus.Overdue) await TellOverdueAsync(marked);
            await inbox.FollowHonourChangeAsync(marked, decided);
            return marked.State(decided);
        }
    }

    /// <summary>The missed decision, told to the county's organization department and to the campaign's, who decides now.</summary>
    async Task TellOverdueAsync(HonourChange change)
    {
        if (await reminders.DefinitionAsync(change.CampaignId) is not { } campaign || !campaign.ReminderRules().TellsMiss) return;
        string county = UnitPath.AncestorAt(change.BranchId, 2);
        foreach (string unit in new[] { county, campaign.Unit }.Distinct(StringComparer.Ordinal))
        {
            string missed = $"【逾期】{change.BranchId}荣誉变更的审批已于{StepNotices.When(change.DecisionDue)}逾期，";
            string text = missed + (unit == county && unit != campaign.Unit ? "转由上级组织部审批。" : "请尽快审批。");
            await outbox.EnqueueAsync(new Notification(
                NotificationOutbox.IdOf(NotificationTypes.Overdue, change.CampaignId, change.Id, unit, Roles.OrgDepartment),
                NotificationTypes.Overdue, change.OverdueAt ?? change.DecisionDue, unit, Roles.OrgDepartment, change.CampaignId,
                $"campaigns/{change.CampaignId}/honours/{change.BranchId}/changes/{change.Id}", text,
                new System.Text.Json.Nodes.JsonObject
                {
                    ["campaignId"] = change.CampaignId, ["branchId"] = change.BranchId, ["changeId"] = change.Id,
                    ["decisionDue"] = StepNotices.Iso(change.DecisionDue),
                }));
        }
    }

    /// <summary>The change with the mark, or null when there is nothing to write (marked already, or no longer possible).</summary>
    static HonourChange? Marked(HonourChange change, bool decided, HonourChangeMark mark)
    {
        if (HonourChangeStatus.IsEnded(change.Status)) return null;
        return mark.Status switch
        {
            HonourChangeStatus.Overdue => change.Status == HonourChangeStatus.Proposed && !decided
                ? change with { Status = HonourChangeStatus.Overdue, OverdueAt = mark.At } : null,
            HonourChangeStatus.Approved or HonourChangeStatus.Notice => HonourChangeStatus.AwaitsDecision(change.Status)
                ? change with { Status = mark.Status, NoticeEnds = mark.NoticeEnds } : null,
            HonourChangeMark.CloseNotice => change.NoticeClosed ? null : change with { NoticeClosed = true },
            HonourChangeStatus.Refused or HonourChangeStatus.Withdrawn =>
                change with { Status = mark.Status, EndedAt = mark.At, Outcome = mark.Outcome },
            _ => throw new ArgumentException($"Not a mark of a change: '{mark.Status}'.", nameof(mark)),
        };
    }

    // A refusal is linked as the decision the API stored; the other steps are the workflow's own.
    static string? AuditAction(string mark) => mark switch
    {
        HonourChangeStatus.Overdue => HonourChangeActions.Overdue,
        HonourChangeMark.CloseNotice => HonourChangeActions.NoticeClosed,
        HonourChangeStatus.Withdrawn => HonourChangeActions.Withdrawn,
        _ => null,
    };
}
