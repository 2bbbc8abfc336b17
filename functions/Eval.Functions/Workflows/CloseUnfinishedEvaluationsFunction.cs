using Eval.Workflows;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Eval.Functions.Workflows;

public sealed class CloseUnfinishedEvaluationsFunction(CloseUnfinishedEvaluationsActivity activity)
{
    [Function(TaskNames.CloseUnfinishedEvaluations)]
    public Task<int> Run([ActivityTrigger] CloseEvaluationsInput input, [DurableClient] DurableTaskClient client) =>
        activity.RunAsync(input, client);
}
