using Eval.Workflows;
using Eval.Workflows.Activities;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Workflows;

public sealed class CountUnfinishedEvaluationsFunction(CountUnfinishedEvaluationsActivity activity)
{
    [Function(TaskNames.CountUnfinishedEvaluations)]
    public Task<int> Run([ActivityTrigger] string input) => activity.RunAsync(input);
}
