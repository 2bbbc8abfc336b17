using Eval.Workflows;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Workflows;

public sealed class SignStatementFunction(SignStatementActivity activity)
{
    [Function(TaskNames.SignStatement)]
    public Task<int> Run([ActivityTrigger] SignStatementInput input) => activity.RunAsync(input);
}
