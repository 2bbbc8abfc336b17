using Eval.Api;
using Eval.Api.Handlers;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Http;

public sealed class PutUnitsFunction(UnitHandlers handlers)
{
    [Function("PutUnits")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ApiRoutes.Units)] HttpRequest req) =>
        handlers.PutAsync(req);
}
