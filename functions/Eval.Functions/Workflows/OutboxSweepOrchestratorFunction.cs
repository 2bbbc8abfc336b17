using Eval.Workflows;
using Eval.Workflows.Domain;
using Eval.Workflows.Orchestrations;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Eval.Functions.Workflows;

public static class OutboxSweepOrchestratorFunction
{
    [Function(TaskNames.OutboxSweepOrchestrator)]
    public static Task<int> Run([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new OutboxSweepOrchestrator().RunAsync(context, context.GetInput<OutboxSweepInput>()!);
}
