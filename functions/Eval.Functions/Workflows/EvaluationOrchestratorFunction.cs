using Eval.Workflows;
using Eval.Workflows.Domain;
using Eval.Workflows.Orchestrations;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Eval.Functions.Workflows;

public static class EvaluationOrchestratorFunction
{
    [Function(TaskNames.EvaluationOrchestrator)]
    public static Task<EvaluationResult> Run([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new EvaluationOrchestrator().RunAsync(context, context.GetInput<EvaluationInput>()!);
}
