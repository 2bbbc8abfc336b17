using Eval.Api.Handlers;
using Eval.Application.Objections;
using Eval.Application.Ratings;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.OpenApi;

namespace Eval.Api.Endpoints;

/// <summary>The public list of ratings, and objections (异议) during the public notice.</summary>
public static class ObjectionEndpoints
{
    public static RouteGroupBuilder MapObjections(this RouteGroupBuilder api)
    {
        api.MapGet("campaigns/{cid}/ratings", (HttpRequest req, string cid, RatingHandlers h) => h.GetAsync(req, cid))
            .WithName("GetRatings").WithTags("Ratings and objections").WithSummary("The list under public notice, then the published one")
            .WithDescription($"Public: no token. 409 before the notice opens. With a strong ETag (304 to If-None-Match); " +
                $"during the notice at most {RatingQueries.NoticeMaxAge.TotalSeconds:0} seconds old; once published, each title's " +
                "standing in the honours register (honour: level now, status, since, reason category), read again at every " +
                "change of an honour. Always revalidated (no-cache).")
            .Produces<RatingsView>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapPost("campaigns/{cid}/objections",
            (HttpRequest req, DurableTaskClient client, string cid, ObjectionHandlers h) => h.FileAsync(req, client, cid))
            .WithName("FileObjection").WithTags("Ratings and objections")
            .WithSummary("Object to a branch's result during the public notice")
            .WithDescription("One open objection per person and branch; at most Objections__MaxPerCaller per person and campaign (409).")
            .RequiresToken("any role inside the campaign's unit", Roles.All.ToArray())
            .ValidatedBody(SchemaCatalog.Objection).Produces<ObjectionAccepted>(StatusCodes.Status202Accepted)
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapGet("campaigns/{cid}/objections", (HttpRequest req, string cid, ObjectionHandlers h) => h.ListAsync(req, cid))
            .WithName("ListObjections").WithTags("Ratings and objections").WithSummary("A page of a campaign's objections, oldest first")
            .WithDescription("All of them for the organization department (to resolve them); " +
                "one's own for anyone else inside the campaign's unit.")
            .WithQueryParameter("status", "Only objections with this status: open, upheld or dismissed.")
            .WithQueryParameter("pageSize", $"1 to {ObjectionQueries.MaxPageSize} (default 50).", JsonSchemaType.Integer)
            .WithQueryParameter("continuationToken", "The continuationToken of the previous page.")
            .RequiresToken("org-department of the campaign's unit or above; any role inside it for its own", Roles.All.ToArray())
            .Produces<ObjectionList>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity);
        api.MapGet("campaigns/{cid}/objections/{oid}",
            (HttpRequest req, string cid, string oid, ObjectionHandlers h) => h.GetAsync(req, cid, oid))
            .WithName("GetObjection").WithTags("Ratings and objections")
            .WithSummary("One objection and its resolution (where a filed objection's Location points)")
            .RequiresToken("org-department of the campaign's unit or above, or the objection's filer", Roles.All.ToArray())
            .Produces<ObjectionView>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("campaigns/{cid}/objections/{oid}/resolution",
            (HttpRequest req, DurableTaskClient client, string cid, string oid, ObjectionHandlers h) =>
                h.ResolveAsync(req, client, cid, oid))
            .WithName("ResolveObjection").WithTags("Ratings and objections")
            .WithSummary("Uphold (revoking the branch's level, no re-ranking) or dismiss an objection")
            .RequiresToken("org-department of the campaign's unit or above", Roles.OrgDepartment)
            .ValidatedBody(SchemaCatalog.ObjectionResolution).Produces<ObjectionResolutionView>()
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapPost("campaigns/{cid}/objection-resolutions",
            (HttpRequest req, DurableTaskClient client, string cid, ObjectionHandlers h) => h.ResolveManyAsync(req, client, cid))
            .WithName("ResolveObjections").WithTags("Ratings and objections").WithSummary("One finding for many objections")
            .WithDescription("Every id must exist (else 422, nothing done); objections resolved already are left as they are and listed. " +
                "Each resolution is its own audit link; upheld ones revoke their branches' levels.")
            .RequiresToken("org-department of the campaign's unit or above", Roles.OrgDepartment)
            .ValidatedBody(SchemaCatalog.ObjectionResolutions).Produces<ObjectionResolutionsView>()
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return api;
    }
}
