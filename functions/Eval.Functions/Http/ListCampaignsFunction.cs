using Eval.Api;
using Eval.Api.Handlers;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Http;

public sealed class ListCampaignsFunction(CampaignHandlers handlers)
{
    [Function("ListCampaigns")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Campaigns)] HttpRequest req) =>
        handlers.ListAsync(req);
}
