using Eval.Api.Handlers;
using Eval.Application.Honours;
using Eval.Workflows.Domain;
using Eval.Workflows.Keys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Eval.Api.Endpoints;

/// <summary>After publication: the signed lists, the keys that verify them, and the honours register.</summary>
public static class HonourEndpoints
{
    public static RouteGroupBuilder MapHonours(this RouteGroupBuilder api)
    {
        api.MapGet("keys", (HttpRequest req, StatementHandlers h) => h.KeysAsync(req))
            .WithName("GetSigningKeys").WithTags("Honours").WithSummary("The public keys that verify the signed lists (JWK Set)")
            .WithDescription("Public: no token, so that anyone can check a list. ES256 (P-256) keys, each with its kid (the RFC 7638 " +
                "thumbprint): the active key and those that signed earlier lists.")
            .Produces<JwkSet>(StatusCodes.Status200OK, "application/jwk-set+json");
        api.MapGet("campaigns/{cid}/ratings.jws", (HttpRequest req, string cid, StatementHandlers h) => h.GetAsync(req, cid))
            .WithName("GetSignedRatings").WithTags("Honours").WithSummary("The published list, signed (compact JWS, ES256)")
            .WithDescription("Public: no token. The newest version (issued at publication and again at every change of an honour), " +
                "or ?version=n. Verify it against GET /api/keys with any JOSE library (README, \"Checking a plaque\"). 409 before " +
                "publication; 404 for a campaign published before lists were signed.")
            .WithQueryParameter("version", "A version of the list (1 = as published); the newest when absent.",
                Microsoft.OpenApi.JsonSchemaType.Integer)
            .Produces(StatusCodes.Status200OK, contentType: CompactJws.MediaType)
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);
        api.MapGet("honours", (HttpRequest req, HonourHandlers h) => h.ListAsync(req))
            .WithName("ListHonours").WithTags("Honours").WithSummary("The honours register, a page at a time")
            .WithDescription("The titles of the published campaigns over or under the unit (default: the caller's), newest campaign " +
                "first and in branch order within one, each with its status as it stands now (an active title past its year shows " +
                "expired). Filters: the level as published, the year, the status now. A page may hold fewer items than pageSize " +
                "while a continuationToken follows.")
            .RequiresToken("a working role (not member) whose unit covers the unit asked for", Roles.Working.ToArray())
            .WithQueryParameter("unit", "A unit id (default: the caller's unit); must lie at or under the caller's unit.")
            .WithQueryParameter("level", "A level id as published, e.g. strongest.")
            .WithQueryParameter("year", "The year the titles are for.", Microsoft.OpenApi.JsonSchemaType.Integer)
            .WithQueryParameter("status", "The status now: active, downgraded, revoked or expired.")
            .WithQueryParameter("pageSize", $"1 to {HonourQueries.MaxPageSize} (default 50).", Microsoft.OpenApi.JsonSchemaType.Integer)
            .WithQueryParameter("continuationToken", "The continuationToken of the previous page.")
            .Produces<HonourPage>().Problems(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("units/{branchId}/honours", (HttpRequest req, string branchId, HonourHandlers h) => h.HistoryAsync(req, branchId))
            .WithName("GetBranchHonours").WithTags("Honours").WithSummary("A branch's titles across campaigns, newest first")
            .RequiresToken("a working role (not member) covering the branch", Roles.Working.ToArray())
            .Produces<HonourHistory>().Problems(StatusCodes.Status404NotFound);
        api.MapGet("public/honours/{cid}/{branchId}", (HttpRequest req, string cid, string branchId, HonourHandlers h) =>
                h.PublicAsync(req, cid, branchId))
            .WithName("GetPublicHonour").WithTags("Honours").WithSummary("A title as anyone may check it (the plaque's page)")
            .WithDescription("Public: no token, so that anyone who scans a plaque can check it. The branch, its level as published " +
                "and now, the campaign, the status now with its date, the end of its year and the reason's category, and the signed " +
                "list it comes from (version, address, SHA-256, key, and the branch's entry as signed). A browser (Accept: " +
                "text/html) gets a page in Chinese. 404 for a branch with no title in the campaign.")
            .Produces<PublicHonourView>(StatusCodes.Status200OK, "application/json", "text/html")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // The page is a document, not the JSON view.
                if (operation.Responses?["200"].Content?.TryGetValue("text/html", out Microsoft.OpenApi.OpenApiMediaType? page)
                    == true)
                    page.Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String };
                return Task.CompletedTask;
            })
            .Problems(StatusCodes.Status404NotFound);
        api.MapGet("public/honours/{cid}/{branchId}/qr.png", (HttpRequest req, string cid, string branchId, HonourHandlers h) =>
                h.QrPngAsync(req, cid, branchId))
            .WithName("GetPublicHonourQrPng").WithTags("Honours").WithSummary("The plaque's QR code (PNG)")
            .WithDescription("Public: no token. Encodes the absolute address of the title's page (GET /api/public/honours/{cid}/" +
                "{branchId}, under the configured public address), error correction Q, with a quiet zone.")
            .Produces(StatusCodes.Status200OK, contentType: "image/png").Problems(StatusCodes.Status404NotFound);
        api.MapGet("public/honours/{cid}/{branchId}/qr.svg", (HttpRequest req, string cid, string branchId, HonourHandlers h) =>
                h.QrSvgAsync(req, cid, branchId))
            .WithName("GetPublicHonourQrSvg").WithTags("Honours").WithSummary("The plaque's QR code (SVG, for print)")
            .WithDescription("Public: no token. The same code as qr.png, scalable.")
            .Produces(StatusCodes.Status200OK, contentType: "image/svg+xml").Problems(StatusCodes.Status404NotFound);
        return api;
    }
}
