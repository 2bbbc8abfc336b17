using Eval.Api;
using Eval.Api.Handlers;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Http;

public sealed class GetObjectionFunction(ObjectionHandlers handlers)
{
    [Function("GetObjection")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Objection)] HttpRequest req,
        string cid,
        string oid) =>
        handlers.GetAsync(req, cid, oid);
}
