using Eval.Workflows;
using Eval.Workflows.Activities;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Workflows;

public sealed class RevokeUpheldRatingsFunction(RevokeUpheldRatingsActivity activity)
{
    [Function(TaskNames.RevokeUpheldRatings)]
    public Task<int> Run([ActivityTrigger] string campaignId) => activity.RunAsync(campaignId);
}
