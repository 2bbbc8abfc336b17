using Eval.Api;
using Eval.Api.Handlers;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Http;

public sealed class CreateCampaignFunction(CampaignHandlers handlers)
{
    [Function("CreateCampaign")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Campaigns)] HttpRequest req) =>
        handlers.CreateAsync(req);
}
