using Eval.Workflows;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Workflows;

public sealed class MarkHonourChangeFunction(MarkHonourChangeActivity activity)
{
    [Function(TaskNames.MarkHonourChange)]
    public Task<HonourChangeState> Run([ActivityTrigger] HonourChangeMark input) => activity.RunAsync(input);
}
