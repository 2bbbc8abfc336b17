using Eval.Workflows;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Eval.Functions.Workflows;

public sealed class StartEvaluationGroupFunction(StartEvaluationGroupActivity activity)
{
    [Function(TaskNames.StartEvaluationGroup)]
    public Task<int> Run([ActivityTrigger] StartEvaluationGroupInput input, [DurableClient] DurableTaskClient client) =>
        activity.RunAsync(input, client);
}
