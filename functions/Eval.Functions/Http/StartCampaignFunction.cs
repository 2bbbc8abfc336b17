using Eval.Api;
using Eval.Api.Handlers;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Eval.Functions.Http;

public sealed class StartCampaignFunction(CampaignHandlers handlers)
{
    [Function("StartCampaign")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.CampaignStart)] HttpRequest req,
        [DurableClient] DurableTaskClient client,
        string cid) =>
        handlers.StartAsync(req, client, cid);
}
