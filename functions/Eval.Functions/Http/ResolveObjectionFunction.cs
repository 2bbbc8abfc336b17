using Eval.Api;
using Eval.Api.Handlers;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Eval.Functions.Http;

public sealed class ResolveObjectionFunction(ObjectionHandlers handlers)
{
    [Function("ResolveObjection")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.ObjectionResolution)] HttpRequest req,
        [DurableClient] DurableTaskClient client,
        string cid,
        string oid) =>
        handlers.ResolveAsync(req, client, cid, oid);
}
