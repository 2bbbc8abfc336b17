using Eval.Api;
using Eval.Api.Handlers;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Eval.Functions.Http;

public sealed class FileObjectionFunction(ObjectionHandlers handlers)
{
    [Function("FileObjection")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Objections)] HttpRequest req,
        [DurableClient] DurableTaskClient client,
        string cid) =>
        handlers.FileAsync(req, client, cid);
}
