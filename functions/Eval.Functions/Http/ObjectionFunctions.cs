using Eval.Api.Handlers;
using Eval.Application.Objections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Eval.Functions.Http;

/// <summary>The Functions triggers of the ratings and objections endpoints (see <see cref="Api.Endpoints.EvalApi"/>).</summary>
public sealed class ObjectionFunctions(RatingHandlers ratings, ObjectionHandlers objections)
{
    [Function("GetRatings")]
    public Task<Results<RatingHandlers.CachedList, ProblemHttpResult>> GetRatings(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaigns/{cid}/ratings")] HttpRequest req,
        string cid) =>
        ratings.GetAsync(req, cid);

    [Function("FileObjection")]
    public Task<IResult> FileObjection(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "campaigns/{cid}/objections")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string cid) =>
        objections.FileAsync(req, client, cid);

    [Function("ListObjections")]
    public Task<Results<Ok<ObjectionList>, ProblemHttpResult>> ListObjections(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaigns/{cid}/objections")] HttpRequest req,
        string cid) =>
        objections.ListAsync(req, cid);

    [Function("GetObjection")]
    public Task<Results<Ok<ObjectionView>, ProblemHttpResult>> GetObjection(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaigns/{cid}/objections/{oid}")] HttpRequest req,
        string cid, string oid) =>
        objections.GetAsync(req, cid, oid);

    [Function("ResolveObjection")]
    public Task<IResult> ResolveObjection(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "campaigns/{cid}/objections/{oid}/resolution")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string cid, string oid) =>
        objections.ResolveAsync(req, client, cid, oid);

    [Function("ResolveObjections")]
    public Task<IResult> ResolveObjections(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "campaigns/{cid}/objection-resolutions")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string cid) =>
        objections.ResolveManyAsync(req, client, cid);
}
