using Eval.Workflows;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Workflows;

public sealed class FindAcceptedActionFunction(FindAcceptedActionActivity activity)
{
    [Function(TaskNames.FindAcceptedAction)]
    public Task<AcceptedAction?> Run([ActivityTrigger] FindAcceptedActionInput input) => activity.RunAsync(input);
}
