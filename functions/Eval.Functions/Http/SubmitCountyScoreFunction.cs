using Eval.Api;
using Eval.Api.Handlers;
using Eval.Workflows.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Eval.Functions.Http;

public sealed class SubmitCountyScoreFunction(EvaluationHandlers handlers)
{
    [Function("SubmitCountyScore")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.CountyScore)] HttpRequest req,
        [DurableClient] DurableTaskClient client,
        string cid,
        string branchId) =>
        handlers.TakeStepAsync(HumanSteps.CountyScore, req, client, cid, branchId);
}
