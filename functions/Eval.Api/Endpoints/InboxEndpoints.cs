using Eval.Api.Handlers;
using Eval.Application.Inbox;
using Eval.Workflows.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;

namespace Eval.Api.Endpoints;

/// <summary>The inbox (待办): what waits on the caller, across campaigns.</summary>
public static class InboxEndpoints
{
    public static RouteGroupBuilder MapInbox(this RouteGroupBuilder api)
    {
        api.MapGet("inbox", (HttpRequest req, InboxHandlers h) => h.ListAsync(req))
            .WithName("GetInbox").WithTags("Inbox").WithSummary("Everything waiting on the caller, soonest due first")
            .WithDescription("Across campaigns: self-assessments (branch-secretary), township reviews (township-reviewer), county " +
                "scores (county-scorer; not those it has scored), objections to resolve (to a list in its notice, or to an approved " +
                "honour change) and honour changes to decide (org-department), ballots " +
                "of an open members' appraisal (member on the roster, until it votes); a step escalated once overdue shows for its " +
                "overdue role too. Each with its due time and status: green, yellow (due within Inbox__YellowWithin, 48 hours), " +
                "red (overdue); link is what it is about, action where to act on it. Read from an index (table Inbox), so its cost " +
                "depends on the caller's scope only.")
            .WithQueryParameter("campaign", "Only this campaign's.")
            .WithQueryParameter("unit", "Only what concerns branches at or under this unit (within the caller's unit).")
            .WithQueryParameter("kind", "Only this kind: " + string.Join(", ", InboxKinds.All) + ".")
            .WithQueryParameter("dueBefore", "Only what is due before this time (ISO 8601 with its offset).")
            .WithQueryParameter("overdue", "true: only what is overdue; false: only what is not.", JsonSchemaType.Boolean)
            .WithQueryParameter("q", "Only branches whose name or id contains this (case-insensitive).")
            .WithQueryParameter("pageSize", $"1 to {InboxQueries.MaxPageSize} (default 50).", JsonSchemaType.Integer)
            .WithQueryParameter("continuationToken", "The continuationToken of the previous page.")
            .RequiresToken("any role: what waits on it, in its scope", Roles.All.ToArray())
            .Produces<InboxPage>().ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }
}
