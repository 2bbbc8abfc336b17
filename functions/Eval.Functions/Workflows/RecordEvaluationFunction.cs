using Eval.Workflows;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Workflows;

public sealed class RecordEvaluationFunction(RecordEvaluationActivity activity)
{
    [Function(TaskNames.RecordEvaluation)]
    public Task<bool> Run([ActivityTrigger] EvaluationChange input) => activity.RunAsync(input);
}
