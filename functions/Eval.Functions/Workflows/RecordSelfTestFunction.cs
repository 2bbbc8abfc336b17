using Eval.Workflows;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Workflows;

public sealed class RecordSelfTestFunction(RecordSelfTestActivity activity)
{
    [Function(TaskNames.RecordSelfTest)]
    public Task<bool> Run([ActivityTrigger] SelfTestRecord record) => activity.RunAsync(record);
}
