using Eval.Workflows;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Workflows;

public sealed class ProposeRatingsFunction(ProposeRatingsActivity activity)
{
    [Function(TaskNames.ProposeRatings)]
    public Task<int> Run([ActivityTrigger] ProposeRatingsInput input) => activity.RunAsync(input);
}
