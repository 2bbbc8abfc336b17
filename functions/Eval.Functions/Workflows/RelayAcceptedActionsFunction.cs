using Eval.Workflows;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Eval.Functions.Workflows;

public sealed class RelayAcceptedActionsFunction(RelayAcceptedActionsActivity activity)
{
    [Function(TaskNames.RelayAcceptedActions)]
    public Task<OutboxSweepResult> Run([ActivityTrigger] string input, [DurableClient] DurableTaskClient client) =>
        activity.RunAsync(input, client);
}
