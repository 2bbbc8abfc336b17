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
public sealed record RatingsSnapshot(string Status, DateTimeOffset ReadAt, byte[] Body, string ETag)
{
    /// <summary>The signed list's version when read: a change of an honour signs a new one, and the list is read again.</summary>
    public int? StatementVersion { get; init; }
}

/// <summary>
/// The public ratings list: the proposed one during the notice, then the published one with each title's standing in
/// the honours register. Anyone may poll it, so the list is read from storage at most once per <see cref="NoticeMaxAge"/>
/// per campaign and host during the notice (an upheld objection changes it; this host's own resolutions show at once),
/// and after publication once per signed version (a change of an honour signs a new one; the campaign's record, read
/// anyway, names the newest).
/// </summary>
public sealed class RatingQueries(CampaignAccess access, RatingStore ratings, HonourStore honours, TimeProvider clock)
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
            if (current is not null && Fresh(current, campaign)) return await current.Value.WaitAsync(ct);
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
    bool Fresh(Lazy<Task<RatingsSnapshot>> entry, CampaignRecord campaign)
    {
        Task<RatingsSnapshot> task = entry.Value;
        if (!task.IsCompleted) return true;
        if (!task.IsCompletedSuccessfully || task.Result.Status != campaign.Status) return false;
        return campaign.Status == CampaignStatus.Published
            ? task.Result.StatementVersion == campaign.StatementVersion
            : clock.GetUtcNow() - task.Result.ReadAt < NoticeMaxAge;
    }

    async Task<RatingsSnapshot> ReadAsync(CampaignRecord campaign)
    {
        DateTimeOffset readAt = clock.GetUtcNow();
        string id = campaign.Definition.Id;
        List<RankedBranch> list = campaign.Status == CampaignStatus.Publicity
            ? await ratings.ReadProposedAsync(id)
            : await WithHonoursAsync(id, await ratings.ReadPublishedAsync(id), readAt);
        var view = new RatingsView(id, campaign.Status, campaign.PublicityEndsAt, campaign.PublishedAt, list);
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(view, Json.Options);
        return new RatingsSnapshot(campaign.Status, readAt, body, $"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..32]}\"")
        {
            StatementVersion = campaign.StatementVersion,
        };
    }

    async Task<List<RankedBranch>> WithHonoursAsync(string campaignId, List<RankedBranch> list, DateTimeOffset now)
    {
        Dictionary<string, Honour> register =
            (await honours.ReadCampaignAsync(campaignId)).ToDictionary(h => h.BranchId, StringComparer.Ordinal);
        return [.. list.Select(r => register.TryGetValue(r.BranchId, out Honour? h) ? r with { Honour = HonourStanding.Of(h, now) } : r)];
    }
}
