using Eval.Api.Handlers;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Http;

/// <summary>The Functions triggers of the unit endpoints (see <see cref="Api.Endpoints.EvalApi"/>).</summary>
public sealed class UnitFunctions(UnitHandlers units)
{
    [Function("PutUnits")]
    public Task<IResult> PutUnits(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "units")] HttpRequest req) =>
        units.PutAsync(req);

    [Function("GetUnit")]
    public Task<IResult> GetUnit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "units/{id}")] HttpRequest req,
        string id) =>
        units.GetAsync(req, id);
}
