using Eval.Api.Handlers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Http;

/// <summary>The Functions triggers of the honours endpoints (see <see cref="Api.Endpoints.HonourEndpoints"/>).</summary>
public sealed class HonourFunctions(StatementHandlers statements)
{
    [Function("GetSigningKeys")]
    public Task<IResult> GetSigningKeys(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "keys")] HttpRequest req) =>
        statements.KeysAsync(req);

    [Function("GetSignedRatings")]
    public Task<Results<StatementHandlers.SignedListResult, ProblemHttpResult>> GetSignedRatings(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaigns/{cid}/ratings.jws")] HttpRequest req, string cid) =>
        statements.GetAsync(req, cid);
}
