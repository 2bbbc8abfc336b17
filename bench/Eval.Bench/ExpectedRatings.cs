namespace Eval.Bench;

public sealed record ExpectedRating(string BranchId, decimal Score, decimal UnityShare, int Rank, string Level);

/// <summary>What one county scorer gave a branch: points (political, organization, service, unity), absences found,
/// the commendation bonus awarded (0: none) and whether the innovation flag was set.</summary>
public sealed record ScorerCard(decimal[] Points, int Absences = 0, decimal Honour = 0, bool Innovation = false);

/// <summary>
/// A scored branch as the oracle takes it: its id, the group the top level's places are counted in (its county, or
/// "" for one group of all), the absences its township reviewer found with the approval (0: none) and its scorers' cards.
/// </summary>
public sealed record ScoredBranch(string BranchId, string Group, int TownshipAbsences, IReadOnlyList<ScorerCard> Scorers);

/// <summary>
/// The published list by the rules of docs/scoring.md, worked out here without the product's code, for the bench's
/// campaign: the Chifeng rubric (four criteria of 25 points, the last the unity one weighted W = 1.5; the deduction
/// absent, 0.5 each, at most 4; the bonus honour, at most 3; no bonus cap, no maxTotal, the basic component alone) and
/// its levels (最强 from 90 with a unity share of at least 0.8 and the innovation flag, 30% of each group's ranked
/// branches; 先进 from 80; 合格 from 60). With n scorers:
/// <code>
///   base      = 100 × Σ_scorers (a + b + c + W·u) / (n × 112.5)          112.5 = 3 × 25 + 1.5 × 25
///   D         = min(4, 0.5 × the most absences anyone recorded)          township reviewer and every scorer
///   basic     = max(0, base − D)
///   B         = min(3, Σ_scorers honour / n)                             the mean of the scorers' awards
///   final     = round(basic + B, 2, half away from zero)                 once, at the end
///   share     = round(Σ_scorers u / (n × 25), 4, half away from zero)    deductions and bonuses do not change it
/// </code>
/// Every amount is kept over the one denominator n × 112.5 and divided once. Ranked by final, then share (both
/// descending), then branch id (ordinal); walking down, a branch gets the first level whose minimum it reaches (and,
/// for the top one, whose share, flag and places it has: ⌊0.3 × the group's ranked branches⌋, a place left unused
/// stays so).
/// </summary>
public static class ExpectedRatings
{
    const decimal MaxPoints = 25m, UnityWeight = 1.5m, WeightedMax = 3 * MaxPoints + UnityWeight * MaxPoints;
    const decimal AbsentEach = 0.5m, AbsentCap = 4m, HonourMax = 3m;
    const decimal StrongestMin = 90m, StrongestQuota = 0.3m, UnityMinShare = 0.8m, AdvancedMin = 80m, QualifiedMin = 60m;

    /// <summary>The final score and the unity share of one branch.</summary>
    public static (decimal Score, decimal Share) Score(ScoredBranch branch)
    {
        ArgumentNullException.ThrowIfNull(branch);
        int n = branch.Scorers.Count;
        if (n == 0) throw new ArgumentException($"{branch.BranchId} has no scorer.", nameof(branch));
        decimal denominator = n * WeightedMax;
        decimal weighted = branch.Scorers.Sum(s => s.Points[0] + s.Points[1] + s.Points[2] + UnityWeight * s.Points[3]);
        int absences = Math.Max(branch.TownshipAbsences, branch.Scorers.Max(s => s.Absences));
        decimal deduction = Math.Min(AbsentCap, absences * AbsentEach);
        decimal basicNumerator = Math.Max(0m, 100m * weighted - deduction * denominator);
        // n × the mean award, capped at n × the item's maximum; over the denominator it is × 112.5.
        decimal honourSum = Math.Min(n * HonourMax, branch.Scorers.Sum(s => s.Honour));
        decimal final = Math.Round((basicNumerator + honourSum * WeightedMax) / denominator, 2, MidpointRounding.AwayFromZero);
        decimal share = Math.Round(branch.Scorers.Sum(s => s.Points[3]) / (n * MaxPoints), 4, MidpointRounding.AwayFromZero);
        return (final, share);
    }

    /// <summary>The whole list, ranked, with levels; <paramref name="flagGate"/>: the top level asks for the innovation flag.</summary>
    public static List<ExpectedRating> Compute(IReadOnlyList<ScoredBranch> scored, bool flagGate = true)
    {
        ArgumentNullException.ThrowIfNull(scored);
        var ordered = scored
            .Select(b => (Branch: b, Result: Score(b), Flagged: b.Scorers.Any(s => s.Innovation)))
            .OrderByDescending(x => x.Result.Score).ThenByDescending(x => x.Result.Share)
            .ThenBy(x => x.Branch.BranchId, StringComparer.Ordinal)
            .ToList();
        var places = scored.GroupBy(b => b.Group, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (int)Math.Floor(StrongestQuota * g.Count()), StringComparer.Ordinal);
        var list = new List<ExpectedRating>(ordered.Count);
        foreach (var (branch, (score, share), flagged) in ordered)
        {
            string level;
            if (score >= StrongestMin && share >= UnityMinShare && (flagged || !flagGate) && places[branch.Group] > 0)
            {
                level = "strongest";
                places[branch.Group]--;
            }
            else if (score >= AdvancedMin) level = "advanced";
            else if (score >= QualifiedMin) level = "qualified";
            else level = "none";
            list.Add(new ExpectedRating(branch.BranchId, score, share, list.Count + 1, level));
        }
        return list;
    }
}
