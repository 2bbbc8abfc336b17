using Eval.Workflows;
using Eval.Workflows.Domain;
using Eval.Workflows.Orchestrations;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Eval.Functions.Workflows;

public static class HonourChangeOrchestratorFunction
{
    [Function(TaskNames.HonourChangeOrchestrator)]
    public static Task<string> Run([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new HonourChangeOrchestrator().RunAsync(context, context.GetInput<HonourChangeInput>()!);
}
