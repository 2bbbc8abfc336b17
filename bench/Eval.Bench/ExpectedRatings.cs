namespace Eval.Bench;

public sealed record ExpectedRating(string BranchId, decimal Score, decimal UnityShare, int Rank, string Level);

/// <summary>What one county scorer gave a branch: points (political, organization, service, unity), absences found,
/// the commendation bonus awarded (0: none) and whether the innovation flag was set.</summary>
public sealed record ScorerCard(decimal[] Points, int Absences = 0, decimal Honour = 0, bool Innovation = false);

/// <summary>
/// A branch's members' appraisal (民主测评) as it closed: the members on its roster and how many chose 满意 (satisfied, 100),
/// 基本满意 (fair, 80) and 不满意 (dissatisfied, 0).
/// </summary>
public sealed record MembersVote(int Eligible, int Satisfied, int Fair, int Dissatisfied)
{
    public int Ballots => Satisfied + Fair + Dissatisfied;
}

/// <summary>
/// A scored branch as the oracle takes it: its id, the group the top level's places are counted in (its county, or
/// "" for one group of all), the absences its township reviewer found with the approval (0: none) and its scorers' cards;
/// <see cref="Appraisal"/>, the members' vote where the campaign holds the appraisal (none: it does not).
/// </summary>
public sealed record ScoredBranch(string BranchId, string Group, int TownshipAbsences, IReadOnlyList<ScorerCard> Scorers)
{
    public MembersVote? Appraisal { get; init; }
}

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
/// With the members' appraisal (the Chifeng one: 满意 100, 基本满意 80, 不满意 0), k ballots of e members on the roster:
/// <code>
///   valid     = k ≥ 5 and round(k / e, 4, half away from zero) ≥ 0.6667
///   A         = Σ_ballots value / k when valid, else 0                   the mean, kept exact (a third stays a third)
///   final     = round(0.7 × basic + 0.3 × A + B, 2, half away from zero)
///   gate      = valid and round(Σ value / (100 × k), 4) ≥ 0.6            else no level above 合格 (qualified)
/// </code>
/// Every amount is kept over the one denominator n × 112.5 (× k with a valid appraisal) and divided once. Ranked by
/// final, then share (both descending), then branch id (ordinal); walking down, a branch gets the first level whose
/// minimum it reaches (and, for the top one, whose share, flag and places it has: ⌊0.3 × the group's ranked branches⌋,
/// a place left unused stays so; and above 合格, the appraisal's gate).
/// </summary>
public static class ExpectedRatings
{
    const decimal MaxPoints = 25m, UnityWeight = 1.5m, WeightedMax = 3 * MaxPoints + UnityWeight * MaxPoints;
    const decimal AbsentEach = 0.5m, AbsentCap = 4m, HonourMax = 3m;
    const decimal StrongestMin = 90m, StrongestQuota = 0.3m, UnityMinShare = 0.8m, AdvancedMin = 80m, QualifiedMin = 60m;
    const decimal SatisfiedValue = 100m, FairValue = 80m, BasicWeight = 0.7m, AppraisalWeight = 0.3m;
    const decimal MinParticipation = 0.6667m, MinSatisfaction = 0.6m;
    const int MinBallots = 5;

    /// <summary>
    /// Whether a members' appraisal counts (at least 5 ballots, participation to 4 decimals at least 0.6667), and the sum
    /// of its ballots' values (0 to 100 each) and its satisfaction (their mean over 100, to 4 decimals) when it does.
    /// </summary>
    public static (bool Valid, decimal ValueSum, decimal? Satisfaction) Appraisal(MembersVote vote)
    {
        ArgumentNullException.ThrowIfNull(vote);
        int k = vote.Ballots;
        bool valid = vote.Eligible > 0 && k >= MinBallots
            && Math.Round((decimal)k / vote.Eligible, 4, MidpointRounding.AwayFromZero) >= MinParticipation;
        if (!valid) return (false, 0m, null);
        decimal sum = vote.Satisfied * SatisfiedValue + vote.Fair * FairValue;
        return (true, sum, Math.Round(sum / (100m * k), 4, MidpointRounding.AwayFromZero));
    }

    /// <summary>
    /// Whether the appraisal's gate lets the branch above 合格: no appraisal held, or a valid one at least 60% satisfied.
    /// </summary>
    public static bool PassesAppraisalGate(ScoredBranch branch) =>
        branch.Appraisal is not { } vote || Appraisal(vote) is { Valid: true, Satisfaction: >= MinSatisfaction };

    /// <summary>The final score and the unity share of one branch.</summary>
    public static (decimal Score, decimal Share) Score(ScoredBranch branch)
    {
        ArgumentNullException.ThrowIfNull(branch);
        int n = branch.Scorers.Count;
        if (n == 0) throw new ArgumentException($"{branch.BranchId} has no scorer.", nameof(branch));
        decimal weighted = branch.Scorers.Sum(s => s.Points[0] + s.Points[1] + s.Points[2] + UnityWeight * s.Points[3]);
        int absences = Math.Max(branch.TownshipAbsences, branch.Scorers.Max(s => s.Absences));
        decimal deduction = Math.Min(AbsentCap, absences * AbsentEach);
        // n × the mean award, capped at n × the item's maximum.
        decimal honourSum = Math.Min(n * HonourMax, branch.Scorers.Sum(s => s.Honour));
        // basic = basicNumerator / (n × 112.5), B = honourSum / n; a valid appraisal's mean is valueSum / k.
        decimal basicNumerator = Math.Max(0m, 100m * weighted - deduction * n * WeightedMax);
        decimal final;
        if (branch.Appraisal is not { } vote)
            final = Round2((basicNumerator + honourSum * WeightedMax) / (n * WeightedMax));
        else
        {
            var (valid, valueSum, _) = Appraisal(vote);
            // Over the one denominator n × 112.5 × k (k = 1 when the appraisal does not count: its component is 0).
            int k = valid ? vote.Ballots : 1;
            decimal numerator = BasicWeight * basicNumerator * k + AppraisalWeight * valueSum * n * WeightedMax
                + honourSum * WeightedMax * k;
            final = Round2(numerator / (n * WeightedMax * k));
        }
        decimal share = Math.Round(branch.Scorers.Sum(s => s.Points[3]) / (n * MaxPoints), 4, MidpointRounding.AwayFromZero);
        return (final, share);
    }

    static decimal Round2(decimal x) => Math.Round(x, 2, MidpointRounding.AwayFromZero);

    /// <summary>The whole list, ranked, with levels; <paramref name="flagGate"/>: the top level asks for the innovation flag.</summary>
    public static List<ExpectedRating> Compute(IReadOnlyList<ScoredBranch> scored, bool flagGate = true)
    {
        ArgumentNullException.ThrowIfNull(scored);
        var ordered = scored
            .Select(b => (Branch: b, Result: Score(b), Flagged: b.Scorers.Any(s => s.Innovation), Gate: PassesAppraisalGate(b)))
            .OrderByDescending(x => x.Result.Score).ThenByDescending(x => x.Result.Share)
            .ThenBy(x => x.Branch.BranchId, StringComparer.Ordinal)
            .ToList();
        var places = scored.GroupBy(b => b.Group, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (int)Math.Floor(StrongestQuota * g.Count()), StringComparer.Ordinal);
        var list = new List<ExpectedRating>(ordered.Count);
        foreach (var (branch, (score, share), flagged, gate) in ordered)
        {
            string level;
            if (gate && score >= StrongestMin && share >= UnityMinShare && (flagged || !flagGate) && places[branch.Group] > 0)
            {
                level = "strongest";
                places[branch.Group]--;
            }
            else if (gate && score >= AdvancedMin) level = "advanced";
            else if (score >= QualifiedMin) level = "qualified";
            else level = "none";
            list.Add(new ExpectedRating(branch.BranchId, score, share, list.Count + 1, level));
        }
        return list;
    }
}
