using Eval.Api;
using Eval.Api.Handlers;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Http;

public sealed class GetUnitFunction(UnitHandlers handlers)
{
    [Function("GetUnit")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Unit)] HttpRequest req,
        string id) =>
        handlers.GetAsync(req, id);
}
