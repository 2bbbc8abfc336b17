using Eval.Api.Handlers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Http;

/// <summary>The Functions triggers of the evidence endpoints (see <see cref="Api.Endpoints.EvidenceEndpoints"/>).</summary>
public sealed class EvidenceFunctions(EvidenceHandlers evidence)
{
    [Function("RequestEvidenceSlot")]
    public Task<IResult> RequestEvidenceSlot(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "campaigns/{cid}/evaluations/{branchId}/evidence")] HttpRequest req,
        string cid, string branchId) =>
        evidence.RequestSlotAsync(req, cid, branchId);

    [Function("CompleteEvidenceUpload")]
    public Task<IResult> CompleteEvidenceUpload(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "campaigns/{cid}/evaluations/{branchId}/evidence/{eid}/complete")]
        HttpRequest req, string cid, string branchId, string eid) =>
        evidence.CompleteAsync(req, cid, branchId, eid);

    [Function("DownloadEvidence")]
    public Task<Results<RedirectHttpResult, ProblemHttpResult>> DownloadEvidence(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaigns/{cid}/evaluations/{branchId}/evidence/{eid}")]
        HttpRequest req, string cid, string branchId, string eid) =>
        evidence.DownloadAsync(req, cid, branchId, eid);
}
