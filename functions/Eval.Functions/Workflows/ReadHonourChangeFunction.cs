using Eval.Workflows;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Workflows;

public sealed class ReadHonourChangeFunction(ReadHonourChangeActivity activity)
{
    [Function(TaskNames.ReadHonourChange)]
    public Task<HonourChangeState> Run([ActivityTrigger] HonourChangeRef input) => activity.RunAsync(input);
}
