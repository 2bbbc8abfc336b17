using System.Text;
using Eval.Application;
using Eval.Application.Honours;
using Eval.Api.Http;
using Eval.Workflows.Keys;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Eval.Api.Handlers;

/// <summary>
/// GET /api/keys and GET /api/campaigns/{cid}/ratings.jws — public: the keys that verify the signed lists, and the lists.
/// </summary>
public sealed class StatementHandlers(StatementQueries statements)
{
    const string KeysCaching = "public, max-age=300";
    const string VersionCaching = "public, max-age=31536000, immutable";
    const string NewestCaching = "public, no-cache";

    public async Task<IResult> KeysAsync(HttpRequest request)
    {
        JwkSet keys = await statements.KeysAsync(request.HttpContext.RequestAborted);
        request.HttpContext.Response.Headers[HeaderNames.CacheControl] = KeysCaching;
        return TypedResults.Json(keys, contentType: "application/jwk-set+json");
    }

    public async Task<Results<SignedListResult, ProblemHttpResult>> GetAsync(HttpRequest request, string campaignId)
    {
        Result<SignedList> list = await statements.GetAsync(campaignId, request.Query["version"].FirstOrDefault(),
            request.HttpContext.RequestAborted);
        if (!list.Ok) return list.Problem.ToResult();
        string etag = $"\"{list.Value.Sha256[..32]}\"";
        bool notModified = request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Select(t => t.Trim())
            .Any(t => t == "*" || (t.StartsWith("W/", StringComparison.Ordinal) ? t[2..] : t) == etag));
        return new SignedListResult(list.Value, etag, request.Query.ContainsKey("version") ? VersionCaching : NewestCaching, notModified);
    }

    /// <summary>The compact JWS as application/jose (RFC 7515, section 9.2.1), or 304 when the client holds it.</summary>
    public sealed class SignedListResult(SignedList list, string etag, string caching, bool notModified) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            HttpResponse response = httpContext.Response;
            response.Headers[HeaderNames.ETag] = etag;
            response.Headers[HeaderNames.CacheControl] = caching;
            response.Headers["X-Statement-Version"] = list.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (notModified)
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
            byte[] body = Encoding.ASCII.GetBytes(list.Jws);
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = CompactJws.MediaType;
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, httpContext.RequestAborted);
        }
    }
}
