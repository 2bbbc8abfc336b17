using Eval.Workflows.Domain;
using Eval.Workflows.Keys;

namespace Eval.Workflows.Storage;

/// <summary>
/// Checks what is stored against the newest signed list: the JWS's signature under the served keys and its bytes against
/// the hash its row holds; every chain's head against the root it sealed (a chain rewritten after signing, even with
/// fresh hashes, breaks); the number of chains; the published list and the honours register against its entries (an
/// edited rating or register row breaks). Only someone holding the signing key could make a matching statement.
/// </summary>
public sealed class StatementVerifier(StatementStore statements, StatementSigner signer, StatementIssuer issuer, RatingStore ratings,
    HonourStore honours)
{
    /// <summary>The first disagreement with the newest signed list, or null when there is none (or no list was signed yet).</summary>
    public async Task<AuditBreak?> VerifyAsync(string campaignId, int? newestVersion, CancellationToken ct = default)
    {
        if (newestVersion is not > 0) return null;
        if (await statements.GetNewestAsync(campaignId, ct) is not { } newest || newest.Version < newestVersion)
            return Break(newestVersion.Value, "the signed list the campaign names is missing");
        if (await statements.ReadJwsAsync(newest, ct) is not { } jws)
            return Break(newest.Version, "the signed list's stored bytes differ from the hash its row holds");
        if (CompactJws.Verify(jws, await signer.PublicKeysAsync(ct)) is not { } payload
            || RatingsStatement.FromJson(payload) is not { } statement)
            return Break(newest.Version, "the signed list's signature does not hold under the served keys");
        if (statement.Version != newest.Version || statement.CampaignId != campaignId || statement.Audit.Root != newest.AuditRoot)
            return Break(newest.Version, "the signed list's row differs from the list it holds");

        StatementAudit heads = await issuer.HeadsAsync(campaignId, statement.Audit, ct);
        if (heads.Chains != statement.Audit.Chains)
            return Break(newest.Version, $"the signed list sealed {statement.Audit.Chains} audit chains, storage holds {heads.Chains}");
        if (heads.Root != statement.Audit.Root)
            return Break(newest.Version, "the audit chains' heads differ from those the signed list sealed");

        Dictionary<string, StatementRating> signed = statement.Ratings.ToDictionary(r => r.BranchId, StringComparer.Ordinal);
        List<RankedBranch> list = await ratings.ReadPublishedAsync(campaignId, ct);
        Dictionary<string, Honour> register =
            (await honours.ReadCampaignAsync(campaignId, ct)).ToDictionary(h => h.BranchId, StringComparer.Ordinal);
        if (list.Count != signed.Count) return Break(newest.Version, $"the signed list holds {signed.Count} ratings, storage {list.Count}");
        foreach (RankedBranch rating in list)
        {
            if (!signed.TryGetValue(rating.BranchId, out StatementRating? entry)
                || entry != StatementRating.Of(rating, register.GetValueOrDefault(rating.BranchId)))
                return Break(newest.Version, $"branch {rating.BranchId}'s rating or honour differs from the signed list");
        }
        foreach (string branch in register.Keys.Where(b => !signed.ContainsKey(b)))
            return Break(newest.Version, $"branch {branch} has an honour the signed list does not hold");
        return null;
    }

    static AuditBreak Break(int version, string problem) => new("statement", version, problem);
}
