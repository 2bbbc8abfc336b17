using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Eval.Api.Auth;
using Eval.Api.Http;
using Eval.Application;
using Eval.Application.Honours;
using Eval.Workflows.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Eval.Api.Handlers;

/// <summary>
/// The honours register for the roles in scope (GET /api/honours, GET /api/units/{branchId}/honours), and a title for
/// anyone (GET /api/public/honours/{cid}/{branchId}: JSON, or a page for a browser; and the plaque's QR code).
/// </summary>
public sealed class HonourHandlers(Authenticator auth, HonourQueries queries)
{
    const string PageCaching = "public, max-age=60";
    const string QrCaching = "public, max-age=31536000, immutable";

    public async Task<Results<Ok<HonourPage>, ProblemHttpResult>> ListAsync(HttpRequest request)
    {
        IQueryCollection q = request.Query;
        return (await auth.AuthenticateAsync(request).ThenAsync(caller => queries.ListAsync(caller, q["unit"].FirstOrDefault(),
            q["level"].FirstOrDefault(), q["year"].FirstOrDefault(), q["status"].FirstOrDefault(), q["pageSize"].FirstOrDefault(),
            q["continuationToken"].FirstOrDefault(), request.HttpContext.RequestAborted))).ToOk();
    }

    public async Task<Results<Ok<HonourHistory>, ProblemHttpResult>> HistoryAsync(HttpRequest request, string branchId) =>
        (await auth.AuthenticateAsync(request)
            .ThenAsync(caller => queries.HistoryAsync(caller, branchId, request.HttpContext.RequestAborted))).ToOk();

    /// <summary>The title as JSON, or as a page when the client prefers text/html (a browser after scanning the plaque).</summary>
    public async Task<IResult> PublicAsync(HttpRequest request, string campaignId, string branchId)
    {
        Result<PublicHonourView> title = await queries.PublicAsync(campaignId, branchId, request.HttpContext.RequestAborted);
        if (!title.Ok) return title.Problem.ToResult();
        bool html = PrefersHtml(request);
        byte[] body = html
            ? Encoding.UTF8.GetBytes(PlaquePage.Render(title.Value))
            : JsonSerializer.SerializeToUtf8Bytes(title.Value, Json.Options);
        return new PublicBody(body, html ? "text/html; charset=utf-8" : "application/json; charset=utf-8", PageCaching, request, html);
    }

    public Task<IResult> QrPngAsync(HttpRequest request, string campaignId, string branchId) =>
        QrAsync(request, campaignId, branchId, url => (PlaqueQr.Png(url), "image/png"));

    public Task<IResult> QrSvgAsync(HttpRequest request, string campaignId, string branchId) =>
        QrAsync(request, campaignId, branchId, url => (Encoding.UTF8.GetBytes(PlaqueQr.Svg(url)), "image/svg+xml"));

    async Task<IResult> QrAsync(HttpRequest request, string campaignId, string branchId, Func<string, (byte[], string)> draw)
    {
        Result<string> url = await queries.PlaqueAddressAsync(campaignId, branchId, request.HttpContext.RequestAborted);
        if (!url.Ok) return url.Problem.ToResult();
        var (body, contentType) = draw(url.Value);
        return new PublicBody(body, contentType, QrCaching, request, varyOnAccept: false);
    }

    /// <summary>
    /// text/html when the Accept header asks for it more than for application/json (a browser's does; an API client's
    /// tie goes to JSON); JSON otherwise.
    /// </summary>
    static bool PrefersHtml(HttpRequest request)
    {
        double html = 0, json = 0;
        foreach (MediaTypeHeaderValue accepted in request.GetTypedHeaders().Accept)
        {
            double quality = accepted.Quality ?? 1;
            if (accepted.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)) html = Math.Max(html, quality);
            else if (accepted.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)) json = Math.Max(json, quality);
        }
        return html > json;
    }

    /// <summary>A public body with a strong ETag of its bytes (304 to If-None-Match) and its caching.</summary>
    sealed class PublicBody(byte[] body, string contentType, string caching, HttpRequest request, bool varyOnAccept) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            string etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..32]}\"";
            HttpResponse response = httpContext.Response;
            response.Headers[HeaderNames.ETag] = etag;
            response.Headers[HeaderNames.CacheControl] = caching;
            response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
            if (varyOnAccept) response.Headers[HeaderNames.Vary] = HeaderNames.Accept;
            if (contentType.StartsWith("text/html", StringComparison.Ordinal)
                || contentType.StartsWith("image/svg", StringComparison.Ordinal))
                response.Headers[HeaderNames.ContentSecurityPolicy] = PlaquePage.ContentSecurityPolicy;
            if (request.Headers.IfNoneMatch.Any(value => value is not null && value.Split(',').Select(v => v.Trim())
                .Any(v => v == "*" || (v.StartsWith("W/", StringComparison.Ordinal) ? v[2..] : v) == etag)))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = contentType;
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, httpContext.RequestAborted);
        }
    }
}
