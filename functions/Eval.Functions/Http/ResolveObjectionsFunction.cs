using Eval.Api;
using Eval.Api.Handlers;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Eval.Functions.Http;

public sealed class ResolveObjectionsFunction(ObjectionHandlers handlers)
{
    [Function("ResolveObjections")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.ObjectionResolutions)] HttpRequest req,
        [DurableClient] DurableTaskClient client,
        string cid) =>
        handlers.ResolveManyAsync(req, client, cid);
}
