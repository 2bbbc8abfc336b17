namespace Eval.Workflows.Domain;

/// <summary>A scored, non-vetoed branch as it enters the ranking.</summary>
public sealed record RankingEntry(string BranchId, string BranchName, decimal Score, decimal UnityShare);

/// <summary>A branch's place in the ranking and the level it was given (a level id, or <see cref="Ranking.NoLevel"/>).</summary>
public sealed record RankedBranch(string BranchId, string BranchName, decimal Score, decimal UnityShare, int Rank, string Level);

/// <summary>
/// Ranks the scored branches and gives them levels. Order: score, then unity share (both descending), then branch
/// id (ordinal), so every rank is distinct and the outcome never depends on input order. Walking down the ranking,
/// a branch gets the first level it reaches the minimum score of and whose quota is not yet full; the top level
/// also asks for the campaign's minimum unity share. A branch that misses a level may still get a lower one.
/// </summary>
public static class Ranking
{
    /// <summary>The level of a branch that qualifies for none.</summary>
    public const string NoLevel = "none";

    /// <summary>The level of a branch whose level was withdrawn.</summary>
    public const string Revoked = "revoked";

    public static IReadOnlyList<RankedBranch> Rank(IReadOnlyList<RankingEntry> entries, IReadOnlyList<Level> levels, decimal unityMinShare)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(levels);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (RankingEntry entry in entries)
            if (!seen.Add(entry.BranchId))
                throw new ArgumentException($"Branch '{entry.BranchId}' is listed twice.", nameof(entries));

        int count = entries.Count;
        // A quota is a share of all ranked branches, rounded down: a level may hold fewer, never more.
        int[] capacity = levels.Select(l => l.Quota is decimal q ? (int)Math.Max(0m, Math.Floor(q * count)) : int.MaxValue).ToArray();
        int[] taken = new int[levels.Count];

        List<RankingEntry> ordered = entries
            .OrderByDescending(e => e.Score)
            .ThenByDescending(e => e.UnityShare)
            .ThenBy(e => e.BranchId, StringComparer.Ordinal)
            .ToList();

        var ranked = new List<RankedBranch>(count);
        for (int position = 0; position < ordered.Count; position++)
        {
            RankingEntry entry = ordered[position];
            string level = NoLevel;
            for (int l = 0; l < levels.Count; l++)
            {
                bool isTop = l == 0;
                if (entry.Score >= levels[l].MinScore && taken[l] < capacity[l] && (!isTop || entry.UnityShare >= unityMinShare))
                {
                    taken[l]++;
                    level = levels[l].Id;
                    break;
                }
            }
            ranked.Add(new RankedBranch(entry.BranchId, entry.BranchName, entry.Score, entry.UnityShare, position + 1, level));
        }
        return ranked;
    }
}
