using Eval.Api;
using Eval.Api.Handlers;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Eval.Functions.Http;

public sealed class RequestPublicationFunction(CampaignHandlers handlers)
{
    [Function("RequestPublication")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Publication)] HttpRequest req,
        [DurableClient] DurableTaskClient client,
        string cid) =>
        handlers.PublicationAsync(req, client, cid);
}
