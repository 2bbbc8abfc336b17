using Eval.Workflows.Domain;
using Eval.Workflows.Outbox;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Activities;

/// <summary>
/// Applies an approved change: the honour's register row (its level now, status, since when, the reason's category and
/// public short reason, the change), written at its ETag; a link in the change's audit chain holding its content; and
/// the change ended as applied. False when the honour is no longer held (expired, superseded): nothing is written, and
/// the workflow withdraws the change. Repeating it writes the same.
/// </summary>
public sealed class ApplyHonourChangeActivity(CampaignStore campaigns, HonourStore honours, HonourChangeStore changes, AuditStore audit,
    OutboxBinding binding, ILogger<ApplyHonourChangeActivity> log) : EvalActivity<HonourChangeMark, bool>
{
    public override async Task<bool> RunAsync(HonourChangeMark input)
    {
        var (change, _) = await changes.GetAsync(input.CampaignId, input.BranchId, input.ChangeId)
            ?? throw new InvalidOperationException($"No honour change '{input.ChangeId}' of {input.CampaignId}/{input.BranchId}.");
        if (change.Status == HonourChangeStatus.Applied) return true;
        if (HonourChangeStatus.IsEnded(change.Status)) return false;
        // Only an approval the API wrote: one written into the row since the workflow read it is not applied.
        if (!binding.HoldsDecision(change) || change.Decision?.Approve != true) return false;
        var (campaign, _) = await campaigns.GetAsync(input.CampaignId)
            ?? throw new InvalidOperationException($"No campaign '{input.CampaignId}'.");

        while (true)
        {
            if (await honours.GetAsync(input.CampaignId, input.BranchId) is not var (honour, etag)) return false;
            if (honour.ChangeId == change.Id) break;
            if (!honour.IsHeldAt(input.At)) return false;
            await audit.AppendToChangeAsync(change, new HistoryEntry(input.At, SystemActor.Instance.Id,
                SystemActor.Instance.Role, HonourChangeActions.Applied, HonourChangeAudit.Detail(change, "applied", content: true)));
            bool revoke = change.Kind == HonourChangeKinds.Revoke;
            Honour changed = honour with
            {
                CurrentLevel = revoke ? Ranking.NoLevel : change.ToLevel,
                Status = revoke ? HonourStatus.Revoked : HonourStatus.Downgraded,
                Since = input.At,
                ReasonCategory = change.ReasonCategory,
                Reason = PublicReason(campaign.Definition, change),
                ChangeId = change.Id,
            };
            if (await honours.TryReplaceAsync(changed, etag)) break;
        }

        while (await changes.GetAsync(input.CampaignId, input.BranchId, input.ChangeId) is var (now, nowETag)
               && now.Status != HonourChangeStatus.Applied)
            await changes.TryEndAsync(now with
            {
                Status = HonourChangeStatus.Applied, EndedAt = input.At, Outcome = "applied to the register",
            }, nowETag);
        log.LogInformation("Honour change {ChangeId} applied: {CampaignId}/{BranchId} {Kind} to {Level}", change.Id,
            input.CampaignId, input.BranchId, change.Kind, change.ToLevel);
        return true;
    }

    /// <summary>The register's public short reason: what happened to the title, and the reason's category in words.</summary>
    static string PublicReason(CampaignDefinition campaign, HonourChange change)
    {
        string why = HonourReasonTitles.Of(change.ReasonCategory);
        return change.Kind == HonourChangeKinds.Revoke
            ? $"撤销称号（{why}）"
            : $"降为{campaign.Levels.FirstOrDefault(l => l.Id == change.ToLevel)?.Title ?? change.ToLevel}（{why}）";
    }
}
