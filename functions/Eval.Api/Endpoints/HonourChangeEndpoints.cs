using Eval.Api.Handlers;
using Eval.Application.Evidence;
using Eval.Application.Honours;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;

namespace Eval.Api.Endpoints;

/// <summary>
/// Demotions and revocations of honours through the year (动态管理): a proposal with its files, the organization
/// department's decision, objections during an approval's notice and their resolution, and the changes as they stand.
/// </summary>
public static class HonourChangeEndpoints
{
    const string Changes = "campaigns/{cid}/honours/{branchId}/changes";
    const string Files = "campaigns/{cid}/honours/{branchId}/change-evidence";
    const string Tag = "Honour changes";
    const string Proposers = "county-scorer or township-reviewer covering the branch";
    const string Deciders = "org-department of the branch's county or above (once overdue: of the campaign's unit)";
    const string Readers = "a working role covering the branch (its secretary, reviewers, scorers, org-department)";

    public static RouteGroupBuilder MapHonourChanges(this RouteGroupBuilder api)
    {
        api.MapPost(Changes, (HttpRequest req, DurableTaskClient client, string cid, string branchId, HonourChangeHandlers h) =>
                h.ProposeAsync(req, client, cid, branchId))
            .WithName("ProposeHonourChange").WithTags(Tag).WithSummary("Propose a demotion or revocation of a branch's honour")
            .WithDescription("Starts the change's workflow (202, Location: the change). A demotion takes an active honour to a lower " +
                "level of its campaign; a revocation takes a held (active or downgraded) title away; the reason is one of the " +
                "campaign's categories; evidence ids are files uploaded for changes of this honour and verified. 404 when the " +
                "campaign gave the branch no honour; 409 when it is not held so, or a change of it is open already (changeId).")
            .RequiresToken(Proposers, Roles.CountyScorer, Roles.TownshipReviewer)
            .ValidatedBody(SchemaCatalog.HonourChange).Produces<Handlers.HonourChangeAccepted>(StatusCodes.Status202Accepted)
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapGet(Changes, (HttpRequest req, string cid, string branchId, HonourChangeHandlers h) => h.ListAsync(req, cid, branchId))
            .WithName("ListHonourChanges").WithTags(Tag).WithSummary("The changes proposed of a branch's honour, oldest first")
            .RequiresToken(Readers, Roles.Working.ToArray())
            .Produces<HonourChangeList>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet(Changes + "/{changeId}",
                (HttpRequest req, string cid, string branchId, string changeId, HonourChangeHandlers h) =>
                    h.GetAsync(req, cid, branchId, changeId))
            .WithName("GetHonourChange").WithTags(Tag)
            .WithSummary("One change: who proposed it, where it stands, its decision and objections")
            .WithDescription("Status proposed, overdue (escalated), approved, notice, refused, withdrawn or applied; who filed an " +
                "objection is shown to the organization department only.")
            .RequiresToken(Readers, Roles.Working.ToArray())
            .Produces<HonourChangeView>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost(Changes + "/{changeId}/decision",
                (HttpRequest req, DurableTaskClient client, string cid, string branchId, string changeId, HonourChangeHandlers h) =>
                    h.DecideAsync(req, client, cid, branchId, changeId))
            .WithName("DecideHonourChange").WithTags(Tag).WithSummary("Approve (with or without a public notice) or refuse a change")
            .WithDescription("Before the campaign's honourChanges.decisionWithin has passed, the organization department over the " +
                "branch's county decides; after it, only that of the campaign's unit (403 for others). A refusal ends the change; " +
                "an approval without notice applies it; with notice, objections are taken for honourChanges.noticeFor first. " +
                "409 when it was decided already.")
            .RequiresToken(Deciders, Roles.OrgDepartment)
            .ValidatedBody(SchemaCatalog.HonourChangeDecision)
            .Produces<Handlers.HonourChangeDecisionAccepted>(StatusCodes.Status202Accepted)
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapPost(Changes + "/{changeId}/objections",
                (HttpRequest req, DurableTaskClient client, string cid, string branchId, string changeId, HonourChangeHandlers h) =>
                    h.ObjectAsync(req, client, cid, branchId, changeId))
            .WithName("ObjectToHonourChange").WithTags(Tag).WithSummary("Object to an approved change during its public notice")
            .WithDescription("One objection per person and change (409 for a second, naming it); 409 outside the notice.")
            .RequiresToken("any role inside the campaign's unit", Roles.All.ToArray())
            .ValidatedBody(SchemaCatalog.HonourChangeObjection).Produces<ObjectionAccepted>(StatusCodes.Status202Accepted)
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapPost(Changes + "/{changeId}/objections/{oid}/resolution",
                (HttpRequest req, DurableTaskClient client, string cid, string branchId, string changeId, string oid,
                    HonourChangeHandlers h) => h.ResolveObjectionAsync(req, client, cid, branchId, changeId, oid))
            .WithName("ResolveHonourChangeObjection").WithTags(Tag)
            .WithSummary("Uphold (the change is withdrawn, not applied) or dismiss an objection to a change")
            .RequiresToken("org-department of the branch's county or above", Roles.OrgDepartment)
            .ValidatedBody(SchemaCatalog.ObjectionResolution).Produces<Handlers.HonourChangeObjectionResolved>()
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        api.MapPost(Files, (HttpRequest req, string cid, string branchId, HonourChangeHandlers h) =>
                h.RequestEvidenceSlotAsync(req, cid, branchId))
            .WithName("RequestHonourChangeEvidenceSlot").WithTags(Tag).WithSummary("Ask to upload one file for a proposed change")
            .WithDescription("As evidence of an evaluation: an upload URL for one blob, valid at most " +
                $"{EvidenceOptions.MaxUploadMinutes} minutes; PUT the bytes, then complete the upload, and cite the file's id in the " +
                "proposal. While the honour is held (409 after); 413 over the largest file accepted.")
            .RequiresToken(Proposers, Roles.CountyScorer, Roles.TownshipReviewer)
            .ValidatedBody(SchemaCatalog.HonourChangeEvidence).Produces<EvidenceSlot>(StatusCodes.Status201Created)
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapPost(Files + "/{eid}/complete",
                (HttpRequest req, string cid, string branchId, string eid, HonourChangeHandlers h) =>
                    h.CompleteEvidenceAsync(req, cid, branchId, eid))
            .WithName("CompleteHonourChangeEvidenceUpload").WithTags(Tag).WithSummary("Check, hash and keep an uploaded file of a change")
            .WithDescription("Its size and kind as declared (else 413, 422), then kept unchangeable with its SHA-256, which the " +
                "proposal that cites it seals in the campaign's audit chain.")
            .RequiresToken(Proposers, Roles.CountyScorer, Roles.TownshipReviewer)
            .IdempotentWithoutBody().Produces<EvidenceView>()
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge,
                StatusCodes.Status422UnprocessableEntity);
        api.MapGet(Files + "/{eid}",
                (HttpRequest req, string cid, string branchId, string eid, HonourChangeHandlers h) =>
                    h.DownloadEvidenceAsync(req, cid, branchId, eid))
            .WithName("DownloadHonourChangeEvidence").WithTags(Tag).WithSummary("Read a verified file of a change")
            .WithDescription($"302 to a read URL valid at most {EvidenceOptions.MaxDownloadMinutes} minutes. 409 when the stored file " +
                "no longer matches its recorded SHA-256.")
            .RequiresToken(Readers, Roles.Working.ToArray())
            .Produces(StatusCodes.Status302Found)
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return api;
    }
}
