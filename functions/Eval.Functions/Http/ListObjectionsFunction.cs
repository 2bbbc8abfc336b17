using Eval.Api;
using Eval.Api.Handlers;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Http;

public sealed class ListObjectionsFunction(ObjectionHandlers handlers)
{
    [Function("ListObjections")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Objections)] HttpRequest req,
        string cid) =>
        handlers.ListAsync(req, cid);
}
