using Eval.Api;
using Eval.Api.Handlers;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Http;

public sealed class GetSelfAssessmentSchemaFunction(CampaignHandlers handlers)
{
    [Function("GetSelfAssessmentSchema")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.SelfAssessmentSchema)] HttpRequest req,
        string cid) =>
        handlers.SelfAssessmentSchemaAsync(req, cid);
}
