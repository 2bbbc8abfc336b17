using Eval.Workflows;
using Eval.Workflows.Activities;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Workflows;

public sealed class PrepareEvaluationsFunction(PrepareEvaluationsActivity activity)
{
    [Function(TaskNames.PrepareEvaluations)]
    public Task<string[]> Run([ActivityTrigger] string input) => activity.RunAsync(input);
}
