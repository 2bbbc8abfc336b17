using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Activities;

/// <summary>
/// Applies one decision of an evaluation's orchestration to its stored record and links it into the evaluation's
/// audit chain (once each, whatever the redeliveries).
/// </summary>
public sealed class RecordEvaluationActivity(EvaluationStore evaluations, AuditStore audit, ILogger<RecordEvaluationActivity> log) : EvalActivity<EvaluationChange, bool>
{
    public override async Task<bool> RunAsync(EvaluationChange change)
    {
        bool applied = await evaluations.ApplyAsync(change);
        await audit.AppendAsync(change.CampaignId, change.BranchId, change.Seq, change.Entry);
        log.LogDebug("Recorded {Action} (seq {Seq}) for {CampaignId}/{BranchId} of instance {InstanceId}{Repeat}", change.Entry.Action, change.Seq,
            change.CampaignId, change.BranchId, InstanceIds.Evaluation(change.CampaignId, change.BranchId), applied ? "" : " (already applied)");
        return applied;
    }
}
