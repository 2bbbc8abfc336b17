using Eval.Api;
using Eval.Api.Handlers;
using Eval.Workflows.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Eval.Functions.Http;

public sealed class SubmitTownshipReviewFunction(EvaluationHandlers handlers)
{
    [Function("SubmitTownshipReview")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.TownshipReview)] HttpRequest req,
        [DurableClient] DurableTaskClient client,
        string cid,
        string branchId) =>
        handlers.TakeStepAsync(HumanSteps.TownshipReview, req, client, cid, branchId);
}
