using Eval.Workflows;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Workflows;

public sealed class FindExtensionFunction(FindExtensionActivity activity)
{
    [Function(TaskNames.FindExtension)]
    public Task<Supervision?> Run([ActivityTrigger] FindExtensionInput input) => activity.RunAsync(input);
}
