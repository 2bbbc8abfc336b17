using Eval.Workflows;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Workflows;

public sealed class SupersedeHonoursFunction(SupersedeHonoursActivity activity)
{
    [Function(TaskNames.SupersedeHonours)]
    public Task<string[]> Run([ActivityTrigger] PublishRatingsInput input) => activity.RunAsync(input);
}
