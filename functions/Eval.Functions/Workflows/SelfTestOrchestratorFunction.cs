using Eval.Workflows;
using Eval.Workflows.Domain;
using Eval.Workflows.Orchestrations;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Eval.Functions.Workflows;

public static class SelfTestOrchestratorFunction
{
    [Function(TaskNames.SelfTestOrchestrator)]
    public static Task<SelfTestRecord> Run([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new SelfTestOrchestrator().RunAsync(context, context.GetInput<SelfTestInput>()!);
}
