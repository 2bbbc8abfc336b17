using Eval.Workflows;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Eval.Functions.Workflows;

public sealed class FinishStartFunction(FinishStartActivity activity)
{
    [Function(TaskNames.FinishStart)]
    public Task<StartProgress> Run([ActivityTrigger] string input, [DurableClient] DurableTaskClient client) =>
        activity.RunAsync(input, client);
}
