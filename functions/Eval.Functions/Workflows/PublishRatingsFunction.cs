using Eval.Workflows;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Workflows;

public sealed class PublishRatingsFunction(PublishRatingsActivity activity)
{
    [Function(TaskNames.PublishRatings)]
    public Task<int> Run([ActivityTrigger] PublishRatingsInput input) => activity.RunAsync(input);
}
