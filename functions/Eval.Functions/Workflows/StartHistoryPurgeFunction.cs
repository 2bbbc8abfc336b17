using Eval.Workflows;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Eval.Functions.Workflows;

public sealed class StartHistoryPurgeFunction(StartHistoryPurgeActivity activity)
{
    [Function(TaskNames.StartHistoryPurge)]
    public Task<bool> Run([ActivityTrigger] StartHistoryPurgeInput input, [DurableClient] DurableTaskClient client) =>
        activity.RunAsync(input, client);
}
