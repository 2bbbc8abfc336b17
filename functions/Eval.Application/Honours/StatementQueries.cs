using System.Collections.Concurrent;
using Eval.Workflows.Domain;
using Eval.Workflows.Keys;
using Eval.Workflows.Storage;

namespace Eval.Application.Honours;

/// <summary>A signed list as served: the compact JWS, its version, and whether it is the newest one.</summary>
public sealed record SignedList(string Jws, int Version, string Sha256, bool Newest);

/// <summary>
/// The signed lists and the keys that verify them, for anyone. A version never changes, so each is read from storage once
/// per host; which one is newest comes from the campaign's record.
/// </summary>
public sealed class StatementQueries(CampaignAccess access, StatementStore statements, StatementSigner signer)
{
    const int MaxCachedLists = 50;

    readonly ConcurrentDictionary<(string, int), SignedList> lists = new();

    /// <summary>The public keys as a JWK Set: the active key and those that signed earlier lists.</summary>
    public async Task<JwkSet> KeysAsync(CancellationToken ct) => new(await signer.PublicKeysAsync(ct));

    /// <summary>The newest signed list of a campaign, or version <paramref name="version"/> (a string from the query).</summary>
    public async Task<Result<SignedList>> GetAsync(string campaignId, string? version, CancellationToken ct)
    {
        int? asked = null;
        if (version is not null)
        {
            if (!int.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture,
                out int v) || v < 1)
                return Problem.Validation([new("/query/version", "a version number: 1, 2, …")]);
            asked = v;
        }
        var (campaign, _, missing) = await access.LoadAsync(campaignId, ct);
        if (missing is not null) return missing;
        if (campaign!.StatementVersion is not (> 0 and var newest))
            return campaign.StatementVersion == 0 ? Problem.Conflict("The campaign was just published: its list is being signed.")
                : campaign.Status == CampaignStatus.Published
                ? Problem.NotFound($"Campaign '{campaignId}' was published before lists were signed: it has no signed list.")
                : Problem.Conflict($"The campaign is {campaign.Status}: its list is signed when it is published.");
        int wanted = asked ?? newest;
        if (wanted > newest)
            return Problem.NotFound($"Campaign '{campaignId}' has no signed list version {wanted} (the newest is {newest}).");
        if (lists.TryGetValue((campaignId, wanted), out SignedList? kept)) return kept with { Newest = wanted == newest };
        if (await statements.GetAsync(campaignId, wanted, ct) is not { } record || await statements.ReadJwsAsync(record, ct) is not { } jws)
            return Problem.NotFound($"Campaign '{campaignId}' has no readable signed list version {wanted}.");
        if (lists.Count >= MaxCachedLists) lists.Clear();
        var list = new SignedList(jws, wanted, record.Sha256, wanted == newest);
        lists[(campaignId, wanted)] = list;
        return list;
    }
}
