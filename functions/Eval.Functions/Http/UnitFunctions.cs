using Eval.Api.Handlers;
using Eval.Application.Units;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Http;

/// <summary>The Functions triggers of the unit endpoints (see <see cref="Api.Endpoints.EvalApi"/>).</summary>
public sealed class UnitFunctions(UnitHandlers units)
{
    [Function("PutUnits")]
    public Task<Results<Ok<UnitsUpserted>, ProblemHttpResult>> PutUnits(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "units")] HttpRequest req) =>
        units.PutAsync(req);

    [Function("ImportUnits")]
    public Task<IResult> ImportUnits(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "units/import")] HttpRequest req) =>
        units.ImportAsync(req);

    [Function("GetUnit")]
    public Task<Results<Ok<UnitView>, ProblemHttpResult>> GetUnit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "units/{id}")] HttpRequest req,
        string id) =>
        units.GetAsync(req, id);
}
