namespace Eval.Workflows.Domain;

/// <summary>
/// The result of scoring one branch: the final score out of 100 (2 decimals), the share of the unity points
/// reached (4 decimals) and the unrounded mean points per criterion id.
/// </summary>
public sealed record ScoreResult(decimal Final, decimal UnityShare, IReadOnlyDictionary<string, decimal> MeanPoints);

/// <summary>
/// Turns the county scorers' points into a branch's score. Each criterion counts with the mean of the scorers'
/// points; unity criteria are weighted by <see cref="Rubric.UnityWeight"/>:
/// final = 100 × (Σ non-unity means + W × Σ unity means) / (Σ non-unity maxima + W × Σ unity maxima).
/// </summary>
public static class Scoring
{
    public static ScoreResult Compute(Rubric rubric, IReadOnlyList<IReadOnlyDictionary<string, decimal>> scorerPoints)
    {
        ArgumentNullException.ThrowIfNull(rubric);
        ArgumentNullException.ThrowIfNull(scorerPoints);
        if (scorerPoints.Count == 0)
            throw new ArgumentException("At least one scorer's points are needed.", nameof(scorerPoints));

        var criterionIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (Criterion criterion in rubric.Criteria)
            if (!criterionIds.Add(criterion.Id))
                throw new ArgumentException($"The rubric lists criterion '{criterion.Id}' twice.", nameof(rubric));

        // Sums over the scorers rather than means: the means are only divided out once, at the end, so the
        // arithmetic stays exact and a result of exactly .xx5 is not nudged by an intermediate rounding.
        var pointSums = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (IReadOnlyDictionary<string, decimal> points in scorerPoints)
        {
            if (points is null)
                throw new ArgumentException("A scorer's points are missing.", nameof(scorerPoints));
            foreach (string key in points.Keys)
                if (!criterionIds.Contains(key))
                    throw new ArgumentException($"'{key}' is not a criterion of the rubric.", nameof(scorerPoints));
            foreach (Criterion criterion in rubric.Criteria)
            {
                if (!points.TryGetValue(criterion.Id, out decimal given))
                    throw new ArgumentException($"A scorer gave no points for criterion '{criterion.Id}'.", nameof(scorerPoints));
                if (given < 0 || given > criterion.MaxPoints)
                    throw new ArgumentOutOfRangeException(nameof(scorerPoints), given,
                        $"Points for criterion '{criterion.Id}' must be between 0 and {criterion.MaxPoints}.");
                pointSums[criterion.Id] = pointSums.GetValueOrDefault(criterion.Id) + given;
            }
        }

        decimal scorers = scorerPoints.Count;
        decimal weightedSum = 0, weightedMax = 0, unitySum = 0, unityMax = 0;
        foreach (Criterion criterion in rubric.Criteria)
        {
            decimal sum = pointSums[criterion.Id];
            if (criterion.Unity)
            {
                weightedSum += rubric.UnityWeight * sum;
                weightedMax += rubric.UnityWeight * criterion.MaxPoints;
                unitySum += sum;
                unityMax += criterion.MaxPoints;
            }
            else
            {
                weightedSum += sum;
                weightedMax += criterion.MaxPoints;
            }
        }
        if (weightedMax <= 0)
            throw new ArgumentException("The rubric's weighted maximum points must be positive.", nameof(rubric));

        decimal final = Math.Round(100m * weightedSum / (scorers * weightedMax), 2, MidpointRounding.AwayFromZero);

        // The share is rounded here, once, and this rounded value is both shown and compared with the minimum
        // share: a branch shown at 0.6000 must not miss a 0.6 gate because its exact share was 0.59996.
        // A rubric without unity criteria has nothing to fall short of, so its share is full.
        decimal unityShare = unityMax > 0
            ? Math.Round(unitySum / (scorers * unityMax), 4, MidpointRounding.AwayFromZero)
            : 1m;

        var meanPoints = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (Criterion criterion in rubric.Criteria)
            meanPoints[criterion.Id] = pointSums[criterion.Id] / scorers;

        return new ScoreResult(final, unityShare, meanPoints);
    }
}
