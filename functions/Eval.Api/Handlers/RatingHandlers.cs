using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Eval.Application;
using Eval.Api.Http;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Eval.Api.Handlers;

/// <summary>
/// GET /api/campaigns/{cid}/ratings — public: the proposed list during the notice, then the published one. Anyone may
/// poll it, so the list is read from storage at most once per <see cref="NoticeMaxAge"/> per campaign and host
/// during the notice (an upheld objection changes it; this host's own resolutions show at once) and once for good
/// after publication, when it never changes. The answer carries a strong ETag (304 to If-None-Match).
/// </summary>
public sealed class RatingHandlers(CampaignAccess access, RatingStore ratings, TimeProvider clock)
{
    public static readonly TimeSpan NoticeMaxAge = TimeSpan.FromSeconds(5);

    const int MaxCampaigns = 200;
    const string NoticeCaching = "public, no-cache";
    const string PublishedCaching = "public, max-age=31536000, immutable";

    static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    sealed record Snapshot(string Status, DateTimeOffset ReadAt, byte[] Body, string ETag);

    readonly ConcurrentDictionary<string, Lazy<Task<Snapshot>>> lists = new(StringComparer.Ordinal);

    public async Task<IResult> GetAsync(HttpRequest request, string campaignId)
    {
        var (campaign, _, missing) = await access.LoadAsync(campaignId, request.HttpContext.RequestAborted);
        if (missing is not null) return missing.ToResult();
        if (campaign!.Status is not (CampaignStatus.Publicity or CampaignStatus.Published))
            return Problems.Conflict($"The campaign is {campaign.Status}: ratings are public from the notice on.");

        Snapshot list = await ListAsync(campaign, request.HttpContext.RequestAborted);
        string caching = list.Status == CampaignStatus.Published ? PublishedCaching : NoticeCaching;
        return new ListResult(list, caching, NotModified(request, list.ETag));
    }


    async Task<Snapshot> ListAsync(CampaignRecord campaign, CancellationToken ct)
    {
        string id = campaign.Definition.Id;
        while (true)
        {
            lists.TryGetValue(id, out Lazy<Task<Snapshot>>? current);
            if (current is not null && Fresh(current, campaign.Status)) return await current.Value.WaitAsync(ct);
            // Not bound to this request: other callers may wait for the same read.
            var read = new Lazy<Task<Snapshot>>(() => ReadAsync(campaign));
            if (current is null)
            {
                if (lists.Count >= MaxCampaigns) lists.Clear();
                if (!lists.TryAdd(id, read)) continue;
            }
            else if (!lists.TryUpdate(id, read, current)) continue;
            return await read.Value.WaitAsync(ct);
        }
    }

    /// <summary>A read in progress, or one of the campaign's present status that has not aged out.</summary>
    bool Fresh(Lazy<Task<Snapshot>> entry, string status)
    {
        Task<Snapshot> task = entry.Value;
        if (!task.IsCompleted) return true;
        if (!task.IsCompletedSuccessfully || task.Result.Status != status) return false;
        return status == CampaignStatus.Published || clock.GetUtcNow() - task.Result.ReadAt < NoticeMaxAge;
    }

    async Task<Snapshot> ReadAsync(CampaignRecord campaign)
    {
        DateTimeOffset readAt = clock.GetUtcNow();
        string id = campaign.Definition.Id;
        List<RankedBranch> list = campaign.Status == CampaignStatus.Publicity
            ? await ratings.ReadProposedAsync(id)
            : await ratings.ReadPublishedAsync(id);
        var view = new RatingsView(id, campaign.Status, campaign.PublicityEndsAt, campaign.PublishedAt, list);
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(view, Web);
        return new Snapshot(campaign.Status, readAt, body, $"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..32]}\"");
    }

    /// <summary>If-None-Match compares weakly (RFC 9110 13.1.2): a W/ prefix does not matter.</summary>
    static bool NotModified(HttpRequest request, string etag) =>
        request.Headers.IfNoneMatch.Any(value => value is not null && value.Split(',').Select(v => v.Trim())
            .Any(v => v == "*" || (v.StartsWith("W/", StringComparison.Ordinal) ? v[2..] : v) == etag));

    /// <summary>The list (200) or, when the client holds it already, 304 with no body; with its ETag and caching either way.</summary>
    sealed class ListResult(Snapshot list, string caching, bool notModified) : IResult
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
