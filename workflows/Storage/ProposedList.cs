using Eval.Workflows.Domain;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Storage;

/// <summary>
/// Changes to the proposed list during the public notice, each sealed in the campaign's audit chain: the list a change
/// leaves is linked ("levels-revoked", its digest as the link's content) before it is written, so a repeat after a crash
/// finds the link and only writes, and the audit's verification compares the stored list with the last such link.
/// </summary>
public sealed class ProposedList(RatingStore ratings, AuditStore audit, TimeProvider clock, ILogger<ProposedList> log)
{
    /// <summary>
    /// Revokes the levels of <paramref name="branches"/> on the list (those not on it are skipped), with the public
    /// <paramref name="reason"/>, linking the new list as <paramref name="actor"/>. Returns how many levels it revoked now.
    /// </summary>
    public async Task<int> RevokeAsync(string campaignId, IReadOnlySet<string> branches, string reason, Actor actor,
        CancellationToken ct = default)
    {
        List<RankedBranch> before = await ratings.ReadProposedAsync(campaignId, ct);
        string[] revoking = [.. before.Where(r => branches.Contains(r.BranchId) && r.Level != Ranking.Revoked).Select(r => r.BranchId)];
        string after = AuditContent.OfRatings(before.Select(r => revoking.Contains(r.BranchId) ? r with { Level = Ranking.Revoked } : r));
        string? linked = (await audit.CampaignChainAsync(campaignId, ct))
            .LastOrDefault(l => HistoryActions.ListActions.Contains(l.Action))?.Content;
        if (after != linked)
        {
            // Only a list as it was sealed (or one never sealed: proposed before lists were linked) is sealed again: a list
            // changed outside the workflow is left for the audit's verification to report, not sealed over.
            if (linked is null || AuditContent.OfRatings(before) == linked)
                await audit.AppendToCampaignAsync(campaignId,
                    new HistoryEntry(clock.GetUtcNow(), actor.Id, actor.Role, HistoryActions.LevelsRevoked,
                        $"revoked: {string.Join(", ", revoking)}"),
                    after, ct);
            else
                log.LogWarning("Campaign {CampaignId}: the proposed list differs from the one its audit chain sealed last; " +
                    "the revocation is written but not sealed", campaignId);
        }
        foreach (string branchId in before.Select(r => r.BranchId).Where(branches.Contains))
            await ratings.RevokeAsync(campaignId, branchId, reason, ct);
        return revoking.Length;
    }
}
