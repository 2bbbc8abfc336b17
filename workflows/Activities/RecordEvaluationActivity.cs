using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.Workflows.Activities;

/// <summary>Applies one decision of an evaluation's orchestration to its stored record (once, whatever the redeliveries).</summary>
public sealed class RecordEvaluationActivity(EvaluationStore evaluations) : EvalActivity<EvaluationChange, bool>
{
    public override Task<bool> RunAsync(EvaluationChange change) => evaluations.ApplyAsync(change);
}
