using Eval.Api.Handlers;
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
            .WithQueryParameter("version", "A version of the list (1 = as published); the newest when absent.", Microsoft.OpenApi.JsonSchemaType.Integer)
            .Produces(StatusCodes.Status200OK, contentType: CompactJws.MediaType)
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);
        return api;
    }
}
