using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.Workflows.Activities;

/// <summary>
/// Applies one decision of an evaluation's orchestration to its stored record and links it into the evaluation's
/// audit chain (once each, whatever the redeliveries).
/// </summary>
public sealed class RecordEvaluationActivity(EvaluationStore evaluations, AuditStore audit) : EvalActivity<EvaluationChange, bool>
{
    public override async Task<bool> RunAsync(EvaluationChange change)
    {
        bool applied = await evaluations.ApplyAsync(change);
        await audit.AppendAsync(change.CampaignId, change.BranchId, change.Seq, change.Entry);
        return applied;
    }
}
