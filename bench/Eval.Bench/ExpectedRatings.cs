namespace Eval.Bench;

public sealed record ExpectedRating(string BranchId, decimal Score, decimal UnityShare, int Rank, string Level);

/// <summary>
/// The published list by the rules in the README, worked out here without the product's code: with one scorer and
/// the bench's rubric (four criteria of 25 points, the last one unity, weighted 1.5), the final score is
/// 100 × (a + b + c + 1.5·u) / 112.5 rounded half away from zero to 2 decimals, the unity share u / 25 to 4 decimals;
/// ranked by score, then share (both descending), then branch id; the first level whose minimum is reached and whose
/// quota is not full, the top level only with a unity share of at least 0.8.
/// </summary>
public static class ExpectedRatings
{
    const decimal UnityWeight = 1.5m, MaxPoints = 25m, StrongestQuota = 0.3m, UnityMinShare = 0.8m;

    public static List<ExpectedRating> Compute(IReadOnlyList<(string Branch, decimal[] Points)> scored)
    {
        decimal denominator = 3 * MaxPoints + UnityWeight * MaxPoints;
        var ordered = scored
            .Select(s => (
                s.Branch,
                Score: Math.Round(100 * (s.Points[0] + s.Points[1] + s.Points[2] + UnityWeight * s.Points[3]) / denominator,
                    2, MidpointRounding.AwayFromZero),
                Share: Math.Round(s.Points[3] / MaxPoints, 4, MidpointRounding.AwayFromZero)))
            .OrderByDescending(x => x.Score).ThenByDescending(x => x.Share).ThenBy(x => x.Branch, StringComparer.Ordinal)
            .ToList();
        int quota = (int)Math.Floor(StrongestQuota * ordered.Count), strongest = 0;
        var list = new List<ExpectedRating>(ordered.Count);
        foreach (var (branch, score, share) in ordered)
        {
            string level;
            if (score >= 90 && strongest < quota && share >= UnityMinShare) { level = "strongest"; strongest++; }
            else if (score >= 80) level = "advanced";
            else if (score >= 60) level = "qualified";
            else level = "none";
            list.Add(new ExpectedRating(branch, score, share, list.Count + 1, level));
        }
        return list;
    }
}
