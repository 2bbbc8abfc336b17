using Eval.Api.Handlers;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Http;

/// <summary>
/// The Functions app's triggers for the unit endpoints, one line each: each serves the route that Eval.Api's route table
/// declares (HostParityTests compares the two).
/// </summary>
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
