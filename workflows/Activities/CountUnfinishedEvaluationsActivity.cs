using Eval.Workflows.Storage;

namespace Eval.Workflows.Activities;

public sealed class CountUnfinishedEvaluationsActivity(EvaluationStore evaluations) : EvalActivity<string, int>
{
    public override async Task<int> RunAsync(string campaignId) => (await evaluations.UnfinishedAsync(campaignId)).Count;
}
