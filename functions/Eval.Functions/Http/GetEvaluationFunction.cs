using Eval.Api;
using Eval.Api.Handlers;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Http;

public sealed class GetEvaluationFunction(EvaluationHandlers handlers)
{
    [Function("GetEvaluation")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Evaluation)] HttpRequest req,
        string cid,
        string branchId) =>
        handlers.GetAsync(req, cid, branchId);
}
