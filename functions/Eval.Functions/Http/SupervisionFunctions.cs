using Eval.Api.Handlers;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Eval.Functions.Http;

/// <summary>The Functions triggers of an evaluation's supervision (督办): urging and deadline extension.</summary>
public sealed class SupervisionFunctions(SupervisionHandlers supervision)
{
    [Function("UrgeEvaluation")]
    public Task<IResult> UrgeEvaluation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "campaigns/{cid}/evaluations/{branchId}/urge")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string cid, string branchId) =>
        supervision.UrgeAsync(req, client, cid, branchId);

    [Function("ExtendDeadline")]
    public Task<IResult> ExtendDeadline(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "campaigns/{cid}/evaluations/{branchId}/deadline")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string cid, string branchId) =>
        supervision.ExtendAsync(req, client, cid, branchId);
}
