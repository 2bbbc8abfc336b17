using Eval.Api;
using Eval.Api.Handlers;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Http;

public sealed class GetCampaignFunction(CampaignHandlers handlers)
{
    [Function("GetCampaign")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Campaign)] HttpRequest req,
        string cid) =>
        handlers.GetAsync(req, cid);
}
