using Eval.Api.Handlers;
using Eval.Application.Honours;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Eval.Functions.Http;

/// <summary>The Functions triggers of the honour changes (see <see cref="Api.Endpoints.HonourChangeEndpoints"/>).</summary>
public sealed class HonourChangeFunctions(HonourChangeHandlers changes)
{
    const string Changes = "campaigns/{cid}/honours/{branchId}/changes";
    const string Files = "campaigns/{cid}/honours/{branchId}/change-evidence";

    [Function("ProposeHonourChange")]
    public Task<IResult> ProposeHonourChange(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Changes)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string cid, string branchId) =>
        changes.ProposeAsync(req, client, cid, branchId);

    [Function("ListHonourChanges")]
    public Task<Results<Ok<HonourChangeList>, ProblemHttpResult>> ListHonourChanges(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Changes)] HttpRequest req, string cid, string branchId) =>
        changes.ListAsync(req, cid, branchId);

    [Function("GetHonourChange")]
    public Task<Results<Ok<HonourChangeView>, ProblemHttpResult>> GetHonourChange(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Changes + "/{changeId}")] HttpRequest req,
        string cid, string branchId, string changeId) =>
        changes.GetAsync(req, cid, branchId, changeId);

    [Function("DecideHonourChange")]
    public Task<IResult> DecideHonourChange(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Changes + "/{changeId}/decision")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string cid, string branchId, string changeId) =>
        changes.DecideAsync(req, client, cid, branchId, changeId);

    [Function("ObjectToHonourChange")]
    public Task<IResult> ObjectToHonourChange(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Changes + "/{changeId}/objections")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string cid, string branchId, string changeId) =>
        changes.ObjectAsync(req, client, cid, branchId, changeId);

    [Function("ResolveHonourChangeObjection")]
    public Task<IResult> ResolveHonourChangeObjection(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Changes + "/{changeId}/objections/{oid}/resolution")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string cid, string branchId, string changeId, string oid) =>
        changes.ResolveObjectionAsync(req, client, cid, branchId, changeId, oid);

    [Function("RequestHonourChangeEvidenceSlot")]
    public Task<IResult> RequestHonourChangeEvidenceSlot(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Files)] HttpRequest req, string cid, string branchId) =>
        changes.RequestEvidenceSlotAsync(req, cid, branchId);

    [Function("CompleteHonourChangeEvidenceUpload")]
    public Task<IResult> CompleteHonourChangeEvidenceUpload(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Files + "/{eid}/complete")] HttpRequest req,
        string cid, string branchId, string eid) =>
        changes.CompleteEvidenceAsync(req, cid, branchId, eid);

    [Function("DownloadHonourChangeEvidence")]
    public Task<Results<RedirectHttpResult, ProblemHttpResult>> DownloadHonourChangeEvidence(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Files + "/{eid}")] HttpRequest req,
        string cid, string branchId, string eid) =>
        changes.DownloadEvidenceAsync(req, cid, branchId, eid);
}
