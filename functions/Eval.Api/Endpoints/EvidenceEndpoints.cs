using Eval.Api.Handlers;
using Eval.Application.Evidence;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Eval.Api.Endpoints;

/// <summary>Evidence files (台账): an upload slot, its completion, and a download.</summary>
public static class EvidenceEndpoints
{
    const string Route = "campaigns/{cid}/evaluations/{branchId}/evidence";

    public static RouteGroupBuilder MapEvidence(this RouteGroupBuilder api)
    {
        api.MapPost(Route, (HttpRequest req, string cid, string branchId, EvidenceHandlers h) => h.RequestSlotAsync(req, cid, branchId))
            .WithName("RequestEvidenceSlot").WithTags("Evidence").WithSummary("Ask to upload one file of evidence")
            .WithDescription("Answers an upload URL (a SAS for exactly one blob, create-only, valid at most " +
                $"{EvidenceOptions.MaxUploadMinutes} minutes): PUT the file's bytes to it with the headers given, then complete " +
                "the upload. While the self-assessment is open, before its deadline (409 after); within the round's quota of " +
                "files and bytes (409 when used up); 413 over the largest file accepted.")
            .RequiresToken("branch-secretary of the branch", Roles.BranchSecretary)
            .ValidatedBody(SchemaCatalog.EvidenceSlot).Produces<EvidenceSlot>(StatusCodes.Status201Created)
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapPost(Route + "/{eid}/complete",
                (HttpRequest req, string cid, string branchId, string eid, EvidenceHandlers h) => h.CompleteAsync(req, cid, branchId, eid))
            .WithName("CompleteEvidenceUpload").WithTags("Evidence").WithSummary("Check, hash and keep an uploaded file")
            .WithDescription("Reads the uploaded file: its size (as declared, at most the limit: else 413), its kind by its first " +
                "bytes (as declared: else 422), then keeps it unchangeable with its SHA-256 and the server's time. A refused file's " +
                "upload is deleted. 409 when nothing was uploaded yet, or the self-assessment closed meanwhile.")
            .RequiresToken("branch-secretary of the branch", Roles.BranchSecretary)
            .IdempotentWithoutBody().Produces<EvidenceView>()
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge,
                StatusCodes.Status422UnprocessableEntity);
        api.MapGet(Route + "/{eid}",
                (HttpRequest req, string cid, string branchId, string eid, EvidenceHandlers h) => h.DownloadAsync(req, cid, branchId, eid))
            .WithName("DownloadEvidence").WithTags("Evidence").WithSummary("Read a verified file")
            .WithDescription($"302 to a read URL valid at most {EvidenceOptions.MaxDownloadMinutes} minutes, which serves the file " +
                "under its name (Content-Disposition: attachment). 409 when the stored file no longer matches its recorded SHA-256.")
            .RequiresToken("the branch's secretary, or a township reviewer, county scorer or org-department covering it",
                Roles.Working.ToArray())
            .Produces(StatusCodes.Status302Found)
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return api;
    }
}
