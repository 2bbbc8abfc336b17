using Eval.Workflows;
using Eval.Workflows.Domain;
using Eval.Workflows.Orchestrations;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Eval.Functions.Workflows;

public static class CampaignOrchestratorFunction
{
    [Function(TaskNames.CampaignOrchestrator)]
    public static Task<string> Run([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new CampaignOrchestrator().RunAsync(context, context.GetInput<CampaignRunInput>()!);
}
