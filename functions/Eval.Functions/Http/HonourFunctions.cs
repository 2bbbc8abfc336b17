using Eval.Api.Handlers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Http;

/// <summary>The Functions triggers of the honours endpoints (see <see cref="Api.Endpoints.HonourEndpoints"/>).</summary>
public sealed class HonourFunctions(StatementHandlers statements, HonourHandlers honours)
{
    [Function("GetSigningKeys")]
    public Task<IResult> GetSigningKeys(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "keys")] HttpRequest req) =>
        statements.KeysAsync(req);

    [Function("GetSignedRatings")]
    public Task<Results<StatementHandlers.SignedListResult, ProblemHttpResult>> GetSignedRatings(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaigns/{cid}/ratings.jws")] HttpRequest req, string cid) =>
        statements.GetAsync(req, cid);

    [Function("ListHonours")]
    public Task<Results<Ok<Application.Honours.HonourPage>, ProblemHttpResult>> ListHonours(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "honours")] HttpRequest req) =>
        honours.ListAsync(req);

    [Function("GetBranchHonours")]
    public Task<Results<Ok<Application.Honours.HonourHistory>, ProblemHttpResult>> GetBranchHonours(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "units/{branchId}/honours")] HttpRequest req, string branchId) =>
        honours.HistoryAsync(req, branchId);

    [Function("GetPublicHonour")]
    public Task<IResult> GetPublicHonour(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "public/honours/{cid}/{branchId}")] HttpRequest req, string cid,
        string branchId) =>
        honours.PublicAsync(req, cid, branchId);

    [Function("GetPublicHonourQrPng")]
    public Task<IResult> GetPublicHonourQrPng(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "public/honours/{cid}/{branchId}/qr.png")] HttpRequest req, string cid,
        string branchId) =>
        honours.QrPngAsync(req, cid, branchId);

    [Function("GetPublicHonourQrSvg")]
    public Task<IResult> GetPublicHonourQrSvg(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "public/honours/{cid}/{branchId}/qr.svg")] HttpRequest req, string cid,
        string branchId) =>
        honours.QrSvgAsync(req, cid, branchId);
}
