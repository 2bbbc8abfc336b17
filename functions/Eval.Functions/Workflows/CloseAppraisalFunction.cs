using Eval.Workflows;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Workflows;

public sealed class CloseAppraisalFunction(CloseAppraisalActivity activity)
{
    [Function(TaskNames.CloseAppraisal)]
    public Task<AppraisalResult> Run([ActivityTrigger] CloseAppraisalInput input) => activity.RunAsync(input);
}
