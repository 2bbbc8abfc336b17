using Eval.Workflows;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Eval.Functions.Workflows;

public sealed class PurgeHistoryFunction(PurgeHistoryActivity activity)
{
    [Function(TaskNames.PurgeHistory)]
    public Task<PurgeHistoryResult> Run([ActivityTrigger] PurgeHistoryInput input, [DurableClient] DurableTaskClient client) =>
        activity.RunAsync(input, client);
}
