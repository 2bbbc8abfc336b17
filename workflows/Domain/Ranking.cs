namespace Eval.Workflows.Domain;

/// <summary>
/// A scored, non-vetoed branch as it enters the ranking, with its category (村, 社区, …) where the campaign ranks by it.
/// </summary>
public sealed record RankingEntry(string BranchId, string BranchName, decimal Score, decimal UnityShare, string? Category = null);

/// <summary>A branch's place in the ranking and the level it was given (a level id, or <see cref="Ranking.NoLevel"/>).</summary>
public sealed record RankedBranch(string BranchId, string BranchName, decimal Score, decimal UnityShare, int Rank, string Level);

/// <summary>
/// Ranks the scored branches and gives them levels. Order: score, then unity share (both descending), then branch
/// id (ordinal), so every rank is distinct and the outcome never depends on input order. Walking down the ranking,
/// a branch gets the first level it reaches the minimum score of and whose quota is not yet full; the top level
/// also asks for the campaign's minimum unity share. A branch that misses a level may still get a lower one.
/// A quota counts within the branch's group: all ranked branches, or those of its county or township when the
/// level's places are handed down (<see cref="QuotaAllocation"/>), and of its category too when the campaign ranks
/// within categories.
/// </summary>
public static class Ranking
{
    /// <summary>The level of a branch that qualifies for none.</summary>
    public const string NoLevel = "none";

    /// <summary>The level of a branch whose level was withdrawn.</summary>
    public const string Revoked = "revoked";

    public static IReadOnlyList<RankedBranch> Rank(IReadOnlyList<RankingEntry> entries, IReadOnlyList<Level> levels, decimal unityMinShare,
        bool withinCategory = false)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(levels);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (RankingEntry entry in entries)
            if (!seen.Add(entry.BranchId))
                throw new ArgumentException($"Branch '{entry.BranchId}' is listed twice.", nameof(entries));

        int count = entries.Count;
        // Per level, the group each branch counts in, and each group's places: a share of its ranked branches rounded
        // down (a level may hold fewer, never more), the places handed to its unit, or no limit.
        var groups = new Dictionary<string, string>[levels.Count];
        var places = new Dictionary<string, int>[levels.Count];
        for (int l = 0; l < levels.Count; l++)
        {
            Level level = levels[l];
            // The allocation's unit is the branch's ancestor at its kind's depth; without one, a single group.
            int depth = level.Allocation is { } allocation ? UnitKinds.DepthOf(allocation.By) : 0;
            if (level.Allocation is not null && depth is not (2 or 3))
                throw new ArgumentException(
                    $"Places are handed down to counties or townships, not '{level.Allocation.By}'.", nameof(levels));
            groups[l] = entries.ToDictionary(e => e.BranchId, e => GroupOf(e, depth, withinCategory), StringComparer.Ordinal);
            places[l] = groups[l].Values.GroupBy(g => g, StringComparer.Ordinal).ToDictionary(g => g.Key, g =>
                level.Allocation?.Places is { } handed ? handed.GetValueOrDefault(UnitOf(g.Key))
                : level.Quota is decimal q ? (int)Math.Max(0m, Math.Floor(q * g.Count()))
                : int.MaxValue, StringComparer.Ordinal);
        }

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
                string group = groups[l][entry.BranchId];
                if (entry.Score >= levels[l].MinScore && places[l][group] > 0 && (!isTop || entry.UnityShare >= unityMinShare))
                {
                    places[l][group]--;
                    level = levels[l].Id;
                    break;
                }
            }
            ranked.Add(new RankedBranch(entry.BranchId, entry.BranchName, entry.Score, entry.UnityShare, position + 1, level));
        }
        return ranked;
    }

    /// <summary>
    /// "unit|category": the allocation's unit above the branch ("" when the places are not handed down), and its category.
    /// </summary>
    static string GroupOf(RankingEntry entry, int allocationDepth, bool withinCategory)
    {
        string unit = allocationDepth == 0 ? "" : UnitPath.AncestorAt(entry.BranchId, allocationDepth);
        return $"{unit}|{(withinCategory ? entry.Category ?? "" : "")}";
    }

    static string UnitOf(string group) => group[..group.IndexOf('|')];
}
