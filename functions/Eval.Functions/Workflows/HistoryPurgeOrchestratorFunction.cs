using Eval.Workflows;
using Eval.Workflows.Domain;
using Eval.Workflows.Orchestrations;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Eval.Functions.Workflows;

public static class HistoryPurgeOrchestratorFunction
{
    [Function(TaskNames.HistoryPurgeOrchestrator)]
    public static Task<int> Run([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new HistoryPurgeOrchestrator().RunAsync(context, context.GetInput<HistoryPurgeInput>()!);
}
