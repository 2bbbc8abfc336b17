using Eval.Workflows;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Workflows;

public sealed class ApplyHonourChangeFunction(ApplyHonourChangeActivity activity)
{
    [Function(TaskNames.ApplyHonourChange)]
    public Task<bool> Run([ActivityTrigger] HonourChangeMark input) => activity.RunAsync(input);
}
