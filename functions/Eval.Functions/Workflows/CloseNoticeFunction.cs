using Eval.Workflows;
using Eval.Workflows.Activities;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Workflows;

public sealed class CloseNoticeFunction(CloseNoticeActivity activity)
{
    [Function(TaskNames.CloseNotice)]
    public Task<int> Run([ActivityTrigger] string input) => activity.RunAsync(input);
}
