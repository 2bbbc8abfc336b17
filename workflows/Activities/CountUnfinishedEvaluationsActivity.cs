using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.Workflows.Activities;

public sealed class CountUnfinishedEvaluationsActivity(EvaluationStore evaluations) : EvalActivity<string, int>
{
    public override async Task<int> RunAsync(string campaignId)
    {
        int unfinished = 0;
        await foreach (var row in evaluations.Query(campaignId, null, null, select: ["Stage"], pageSize: 1000))
            if (row.GetString("Stage") != Stages.Done) unfinished++;
        return unfinished;
    }
}
