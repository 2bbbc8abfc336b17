using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.Application.Ratings;

/// <summary>The ratings list: proposed during the public notice, then published.</summary>
public sealed record RatingsView(string CampaignId, string Status, DateTimeOffset? PublicityEndsAt, DateTimeOffset? PublishedAt,
    IReadOnlyList<RankedBranch> Ratings);

/// <summary>
/// The ratings list as read at <paramref name="ReadAt"/>, while the campaign was <paramref name="Status"/>: its
/// <see cref="RatingsView"/> as JSON, and a strong entity tag of those bytes (quoted, as an ETag header carries it).
/// </summary>
public sealed record RatingsSnapshot(string Status, DateTimeOffset ReadAt, byte[] Body, string ETag);

/// <summary>
/// The public ratings list: the proposed one during the notice, then the published one. Anyone may poll it, so the list
/// is read from storage at most once per <see cref="NoticeMaxAge"/> per campaign and host during the notice (an upheld
/// objection changes it; this host's own resolutions show at once) and once for good after publication, when it never
/// changes.
/// </summary>
public sealed class RatingQueries(CampaignAccess access, RatingStore ratings, TimeProvider clock)
{
    public static readonly TimeSpan NoticeMaxAge = TimeSpan.FromSeconds(5);

    const int MaxCampaigns = 200;

    readonly ConcurrentDictionary<string, Lazy<Task<RatingsSnapshot>>> lists = new(StringComparer.Ordinal);

    public async Task<Result<RatingsSnapshot>> GetAsync(string campaignId, CancellationToken ct)
    {
        var (campaign, _, missing) = await access.LoadAsync(campaignId, ct);
        if (missing is not null) return missing;
        if (campaign!.Status is not (CampaignStatus.Publicity or CampaignStatus.Published))
            return Problem.Conflict($"The campaign is {campaign.Status}: ratings are public from the notice on.");
        return await ListAsync(campaign, ct);
    }

    /// <summary>Drops the campaign's list read by this host, so a change made here (a joint veto) shows at once.</summary>
    public void Forget(string campaignId) => lists.TryRemove(campaignId, out _);

    async Task<RatingsSnapshot> ListAsync(CampaignRecord campaign, CancellationToken ct)
    {
        string id = campaign.Definition.Id;
        while (true)
        {
            lists.TryGetValue(id, out Lazy<Task<RatingsSnapshot>>? current);
            if (current is not null && Fresh(current, campaign.Status)) return await current.Value.WaitAsync(ct);
            // Not bound to this request: other callers may wait for the same read.
            var read = new Lazy<Task<RatingsSnapshot>>(() => ReadAsync(campaign));
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
    bool Fresh(Lazy<Task<RatingsSnapshot>> entry, string status)
    {
        Task<RatingsSnapshot> task = entry.Value;
        if (!task.IsCompleted) return true;
        if (!task.IsCompletedSuccessfully || task.Result.Status != status) return false;
        return status == CampaignStatus.Published || clock.GetUtcNow() - task.Result.ReadAt < NoticeMaxAge;
    }

    async Task<RatingsSnapshot> ReadAsync(CampaignRecord campaign)
    {
        DateTimeOffset readAt = clock.GetUtcNow();
        string id = campaign.Definition.Id;
        List<RankedBranch> list = campaign.Status == CampaignStatus.Publicity
            ? await ratings.ReadProposedAsync(id)
            : await ratings.ReadPublishedAsync(id);
        var view = new RatingsView(id, campaign.Status, campaign.PublicityEndsAt, campaign.PublishedAt, list);
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(view, Json.Options);
        return new RatingsSnapshot(campaign.Status, readAt, body, $"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..32]}\"");
    }
}
