using Eval.Api.Handlers;
using Eval.Application.Appraisals;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Eval.Api.Endpoints;

/// <summary>The members' appraisal (民主测评) of a branch: its roster, the members' ballots, and the appraisal as it stands.</summary>
public static class AppraisalEndpoints
{
    const string Route = "campaigns/{cid}/evaluations/{branchId}/appraisal";

    public static RouteGroupBuilder MapAppraisals(this RouteGroupBuilder api)
    {
        api.MapGet(Route, (HttpRequest req, string cid, string branchId, AppraisalHandlers h) => h.GetAsync(req, cid, branchId))
            .WithName("GetAppraisal").WithTags("Appraisal").WithSummary("A branch's members' appraisal: window, roster size, result")
            .WithDescription("The window, the choices, how many may vote and how many have; a member sees whether they voted. " +
                $"Once the window has closed and the ballots are counted, the result: participation, whether it counts, and from " +
                $"{AppraisalResult.MinBallotsShown} ballots the satisfaction and each choice's count (fewer: too few to show). " +
                "Nothing names who chose what.")
            .RequiresToken("a member of the branch (role member at the branch), its secretary, or a township reviewer, county " +
                "scorer or org-department covering it", [.. Roles.Working, Roles.Member])
            .Produces<AppraisalView>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapPut(Route + "/roster",
                (HttpRequest req, string cid, string branchId, AppraisalHandlers h) => h.SetRosterAsync(req, cid, branchId))
            .WithName("SetAppraisalRoster").WithTags("Appraisal").WithSummary("Set who may vote in a branch's appraisal")
            .WithDescription("The members' ids (no names), or only their number when members vote with their own member tokens. " +
                "Participation is counted against it. It may change until the first ballot; 409 after that, or once closed.")
            .RequiresToken("branch-secretary of the branch, or township-reviewer covering it",
                Roles.BranchSecretary, Roles.TownshipReviewer)
            .ValidatedBody(SchemaCatalog.AppraisalRoster).Produces<AppraisalRosterSet>()
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapPost(Route + "/ballots",
                (HttpRequest req, string cid, string branchId, AppraisalHandlers h) => h.CastAsync(req, cid, branchId))
            .WithName("CastAppraisalBallot").WithTags("Appraisal").WithSummary("Cast one anonymous ballot in a branch's appraisal")
            .WithDescription("One ballot a member, while the window is open: a second is 409, as are ballots before it opens and " +
                "after it closes. A ballot is stored only as one more in its choice's count, apart from the record that the member " +
                "voted. No Idempotency-Key is kept for ballots (it would tie the member to the request): a repeat is answered 409, " +
                "which says the first was counted.")
            .RequiresToken("a member of the branch (role member at the branch), on its roster", Roles.Member)
            .ValidatedBody(SchemaCatalog.AppraisalBallot).Produces<BallotCounted>(StatusCodes.Status202Accepted)
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return api;
    }
}
