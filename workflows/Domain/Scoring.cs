namespace Eval.Workflows.Domain;

/// <summary>
/// The result of scoring one branch: the final score (2 decimals; out of 100 unless bonuses take it past), the share
/// of the unity points reached (4 decimals) and the unrounded mean points per criterion id.
/// </summary>
public sealed record ScoreResult(decimal Final, decimal UnityShare, IReadOnlyDictionary<string, decimal> MeanPoints);

/// <summary>A deduction (减分项) applied to a branch: how many occurrences of the item, and why.</summary>
public sealed record AppliedDeduction(string Item, int Occurrences, string Reason);

/// <summary>A bonus (加分项) awarded to a branch: how many points of the item, and why.</summary>
public sealed record AwardedBonus(string Item, decimal Points, string Reason);

/// <summary>
/// What counts beside the criteria's points: every deduction applied (by the township reviewer and each county scorer),
/// every bonus each county scorer awarded, and the members' appraisal (民主测评: the mean of the ballots' values, 0 to 100,
/// kept as a sum over the ballots so it stays exact) where the rubric has that component (none: it counts 0).
/// </summary>
public sealed record ScoreAdjustments(IReadOnlyList<AppliedDeduction> Deductions, IReadOnlyList<AwardedBonus> Bonuses,
    AppraisalMean? Appraisal = null)
{
    public static readonly ScoreAdjustments None = new([], []);

    /// <summary>What the township review (with an approval) and the county scores applied and awarded.</summary>
    public static ScoreAdjustments Of(TownshipReview? review, IEnumerable<CountyScore> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        CountyScore[] all = [.. scores];
        return new([.. review?.Deductions ?? [], .. all.SelectMany(s => s.Deductions ?? [])], [.. all.SelectMany(s => s.Bonuses ?? [])]);
    }
}

/// <summary>A section's points: the sum of its criteria's mean points, out of the sum of their maxima.</summary>
public sealed record SectionScore(string Id, string Title, bool Unity, decimal Points, decimal MaxPoints);

/// <summary>
/// A deduction item as applied: the most occurrences anyone recorded, the points taken off (capped at the item's cap) and
/// the reasons given.
/// </summary>
public sealed record DeductionLine(string Item, string Title, int Occurrences, decimal Points, bool Capped, string Reasons);

/// <summary>
/// A bonus item as counted: the mean of the county scorers' awards, the points given (capped at the item's maximum) and
/// the reasons given.
/// </summary>
public sealed record BonusLine(string Item, string Title, decimal Awarded, decimal Points, bool Capped, string Reasons);

/// <summary>A component's value (0 to 100), its weight and what it adds to the total (weight × value).</summary>
public sealed record ComponentLine(string Kind, decimal Weight, decimal Value, decimal Weighted);

/// <summary>
/// The score with every step that made it (docs/scoring.md): the criteria's weighted score (<see cref="Base"/>), the
/// sections, the deductions, the basic component (base less deductions, never below 0), the components with their
/// weights, the bonuses, the total before the cap and <see cref="Final"/>. The final score and the unity share are
/// computed exactly and rounded once; the steps are shown to 4 decimals (<see cref="Scoring.Shown"/>).
/// </summary>
public sealed record ScoreBreakdown(decimal Final, decimal UnityShare, IReadOnlyDictionary<string, decimal> MeanPoints, decimal Base,
    IReadOnlyList<SectionScore> Sections, IReadOnlyList<DeductionLine> Deductions, decimal DeductionTotal, decimal Basic,
    IReadOnlyList<ComponentLine> Components, IReadOnlyList<BonusLine> Bonuses, decimal BonusTotal, decimal Uncapped, bool Capped)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public ScoreResult Result => new(Final, UnityShare, MeanPoints);
}

/// <summary>
/// Turns the county scorers' points, and what else counts, into a branch's score (docs/scoring.md, with a worked example
/// per rule). Each criterion counts with the mean of the scorers' points; unity criteria are weighted by
/// <see cref="Rubric.UnityWeight"/>:
/// base = 100 × (Σ non-unity means + W × Σ unity means) / (Σ non-unity maxima + W × Σ unity maxima);
/// basic = max(0, base − Σ deductions); total = Σ weight × component + Σ bonuses; final = min(total, cap).
/// </summary>
public static class Scoring
{
    public static ScoreResult Compute(Rubric rubric, IReadOnlyList<IReadOnlyDictionary<string, decimal>> scorerPoints) =>
        Breakdown(rubric, scorerPoints, ScoreAdjustments.None).Result;

    public static ScoreBreakdown Breakdown(Rubric rubric, IReadOnlyList<IReadOnlyDictionary<string, decimal>> scorerPoints,
        ScoreAdjustments adjustments)
    {
        ArgumentNullException.ThrowIfNull(rubric);
        ArgumentNullException.ThrowIfNull(scorerPoints);
        ArgumentNullException.ThrowIfNull(adjustments);
        if (adjustments.Appraisal is { } appraisal && (appraisal.Count < 1 || appraisal.Sum < 0m || appraisal.Sum > 100m * appraisal.Count))
            throw new ArgumentOutOfRangeException(nameof(adjustments), appraisal, "The appraisal is between 0 and 100 a ballot.");
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
            if (rubric.IsUnity(criterion))
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

        // Everything over one denominator, divided once at the end: the total stays exact, and a total of exactly .xx5
        // is rounded as such rather than from a quotient already cut short. The appraisal's ballots join the denominator.
        decimal ballots = adjustments.Appraisal?.Count ?? 1;
        decimal denominator = scorers * weightedMax * ballots;
        decimal baseNumerator = 100m * weightedSum * ballots;
        IReadOnlyList<DeductionLine> deductions = Deduct(rubric, adjustments.Deductions);
        decimal deductionTotal = deductions.Sum(d => d.Points);
        decimal basicNumerator = Math.Max(0m, baseNumerator - deductionTotal * denominator);
        // Bonuses count with the scorers' mean; kept as sums over the scorers (n × the mean), so the caps compare exactly
        // (n × maxPoints) and the total's numerator is the sum × weighted maximum.
        var (bonuses, bonusSums) = Award(rubric, adjustments.Bonuses, scorers);
        decimal bonusSum = bonusSums.Sum();
        decimal bonusTotalSum = rubric.BonusCap is { } bonusCap ? Math.Min(bonusCap * scorers, bonusSum) : bonusSum;
        decimal bonusTotal = bonusTotalSum / scorers;

        var components = new List<ComponentLine>();
        decimal totalNumerator = bonusTotalSum * weightedMax * ballots;
        foreach (ScoreComponent component in rubric.ScoredComponents())
        {
            decimal numerator = component.Kind switch
            {
                ScoreComponents.Basic => basicNumerator,
                ScoreComponents.Appraisal => (adjustments.Appraisal?.Sum ?? 0m) * scorers * weightedMax,
                _ => throw new ArgumentException($"'{component.Kind}' is not a score component.", nameof(rubric)),
            };
            totalNumerator += component.Weight * numerator;
            components.Add(new ComponentLine(component.Kind, component.Weight, numerator / denominator,
                component.Weight * numerator / denominator));
        }
        decimal uncapped = totalNumerator / denominator;
        bool capped = rubric.MaxTotal is { } max && totalNumerator > max * denominator;
        decimal final = Math.Round(capped ? rubric.MaxTotal!.Value : uncapped, 2, MidpointRounding.AwayFromZero);

        // The share is rounded here, once, and this rounded value is both shown and compared with the minimum
        // share: a branch shown at 0.6000 must not miss a 0.6 gate because its exact share was 0.59996.
        // A rubric without unity criteria has nothing to fall short of, so its share is full.
        decimal unityShare = unityMax > 0
            ? Math.Round(unitySum / (scorers * unityMax), 4, MidpointRounding.AwayFromZero)
            : 1m;

        var meanPoints = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (Criterion criterion in rubric.Criteria)
            meanPoints[criterion.Id] = pointSums[criterion.Id] / scorers;

        List<SectionScore> sections = [.. (rubric.Sections ?? []).Select(section =>
        {
            Criterion[] items = [.. rubric.Criteria.Where(c => c.Section == section.Id)];
            return new SectionScore(section.Id, section.Title, section.Unity, Shown(items.Sum(c => meanPoints[c.Id])),
                items.Sum(c => c.MaxPoints));
        })];
        return new ScoreBreakdown(final, unityShare, meanPoints, Shown(baseNumerator / denominator), sections, deductions,
            deductionTotal, Shown(basicNumerator / denominator),
            [.. components.Select(c => c with { Value = Shown(c.Value), Weighted = Shown(c.Weighted) })],
            [.. bonuses.Select(b => b with { Awarded = Shown(b.Awarded), Points = Shown(b.Points) })], Shown(bonusTotal),
            Shown(uncapped), capped);
    }

    /// <summary>A step as the breakdown shows it: to 4 decimals, half away from zero (the final score is not made from it).</summary>
    public static decimal Shown(decimal amount) => Math.Round(amount, 4, MidpointRounding.AwayFromZero);

    /// <summary>
    /// Each deduction item's most occurrences recorded by anyone (the township and every scorer record the facts they
    /// found; the same fact found twice is not taken off twice), times its points each, capped at its cap; in the rubric's
    /// order.
    /// </summary>
    static IReadOnlyList<DeductionLine> Deduct(Rubric rubric, IReadOnlyList<AppliedDeduction> applied)
    {
        foreach (AppliedDeduction d in applied)
        {
            if ((rubric.Deductions ?? []).All(item => item.Id != d.Item))
                throw new ArgumentException($"'{d.Item}' is not a deduction item of the rubric.", nameof(applied));
            if (d.Occurrences < 1)
                throw new ArgumentOutOfRangeException(nameof(applied), d.Occurrences, "A deduction is applied at least once.");
        }
        return [.. (rubric.Deductions ?? [])
            .Select(item => (Item: item, Applied: applied.Where(d => d.Item == item.Id).ToList()))
            .Where(x => x.Applied.Count > 0)
            .Select(x => (x.Item, Occurrences: x.Applied.Max(d => d.Occurrences), Reasons: Reasons(x.Applied.Select(d => d.Reason))))
            .Select(x => x.Occurrences * x.Item.PointsEach is var points && points > x.Item.Cap
                ? new DeductionLine(x.Item.Id, x.Item.Title, x.Occurrences, x.Item.Cap, Capped: true, x.Reasons)
                : new DeductionLine(x.Item.Id, x.Item.Title, x.Occurrences, points, Capped: false, x.Reasons))];
    }

    static string Reasons(IEnumerable<string> reasons) => string.Join("; ", reasons.Distinct(StringComparer.Ordinal));

    /// <summary>
    /// Each bonus item's awards added up over the scorers (a scorer who awards none adds 0), capped at the item's maximum
    /// for each scorer: the lines show the mean, and the sums (n × the mean) go on to the total; in the rubric's order.
    /// </summary>
    static (IReadOnlyList<BonusLine> Lines, IReadOnlyList<decimal> Sums) Award(Rubric rubric, IReadOnlyList<AwardedBonus> awarded,
        decimal scorers)
    {
        foreach (AwardedBonus b in awarded)
        {
            if ((rubric.Bonuses ?? []).All(item => item.Id != b.Item))
                throw new ArgumentException($"'{b.Item}' is not a bonus item of the rubric.", nameof(awarded));
            if (b.Points <= 0)
                throw new ArgumentOutOfRangeException(nameof(awarded), b.Points, "A bonus awards more than 0 points.");
        }
        var counted = (rubric.Bonuses ?? [])
            .Select(item => (Item: item, Awards: awarded.Where(b => b.Item == item.Id).ToList()))
            .Where(x => x.Awards.Count > 0)
            .Select(x => (x.Item, Sum: x.Awards.Sum(b => b.Points), Reasons: Reasons(x.Awards.Select(b => b.Reason))))
            .Select(x => (x.Item, x.Sum, Counted: Math.Min(x.Sum, x.Item.MaxPoints * scorers), x.Reasons))
            .ToList();
        return ([.. counted.Select(x => new BonusLine(x.Item.Id, x.Item.Title, x.Sum / scorers, x.Counted / scorers,
            Capped: x.Sum > x.Counted, x.Reasons))], [.. counted.Select(x => x.Counted)]);
    }
}
