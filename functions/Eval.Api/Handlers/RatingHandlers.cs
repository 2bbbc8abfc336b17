using Eval.Application;
using Eval.Application.Ratings;
using Eval.Api.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Eval.Api.Handlers;

/// <summary>
/// GET /api/campaigns/{cid}/ratings — public: the list <see cref="RatingQueries"/> keeps, with a strong ETag (304 to
/// If-None-Match) and always revalidated: during the notice an upheld objection changes it, after publication a change of
/// an honour (its standing is part of the list).
/// </summary>
public sealed class RatingHandlers(RatingQueries ratings)
{
    const string Caching = "public, no-cache";

    public async Task<Results<CachedList, ProblemHttpResult>> GetAsync(HttpRequest request, string campaignId)
    {
        Result<RatingsSnapshot> list = await ratings.GetAsync(campaignId, request.HttpContext.RequestAborted);
        if (!list.Ok) return list.Problem.ToResult();
        return new CachedList(list.Value, Caching, NotModified(request, list.Value.ETag));
    }

    /// <summary>If-None-Match compares weakly (RFC 9110 13.1.2): a W/ prefix does not matter.</summary>
    static bool NotModified(HttpRequest request, string etag) =>
        request.Headers.IfNoneMatch.Any(value => value is not null && value.Split(',').Select(v => v.Trim())
            .Any(v => v == "*" || (v.StartsWith("W/", StringComparison.Ordinal) ? v[2..] : v) == etag));

    /// <summary>The list (200) or, when the client holds it already, 304 with no body; with its ETag and caching either way.</summary>
    public sealed class CachedList(RatingsSnapshot list, string caching, bool notModified) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            HttpResponse response = httpContext.Response;
            response.Headers[HeaderNames.ETag] = list.ETag;
            response.Headers[HeaderNames.CacheControl] = caching;
            if (notModified)
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = list.Body.Length;
            await response.Body.WriteAsync(list.Body, httpContext.RequestAborted);
        }
    }
}
