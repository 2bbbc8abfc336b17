using Eval.Workflows.Domain;

namespace Eval.UnitTests.Domain;

/// <summary>Scoring, with every expected value worked out by hand in the comment above it.</summary>
public sealed class ScoringTests
{
    // Organisation 40, activities 30, unity 30 (weighted 1.5): weighted maximum = 40 + 30 + 1.5 × 30 = 115.
    static readonly Rubric Standard = RubricOf(1.5m, ("org", 40m, false), ("act", 30m, false), ("unity", 30m, true));

    static Rubric RubricOf(decimal unityWeight, params (string Id, decimal Max, bool Unity)[] criteria) =>
        new([.. criteria.Select(c => new Criterion(c.Id, c.Id, c.Max, c.Unity))], unityWeight, 0.6m, []);

    static IReadOnlyDictionary<string, decimal> Points(params (string Id, decimal Points)[] points) =>
        points.ToDictionary(p => p.Id, p => p.Points);

    [Fact]
    public void Several_scorers_count_with_their_mean_and_unity_is_weighted()
    {
        // Means: org (30 + 34) / 2 = 32, act (20 + 25) / 2 = 22.5, unity (24 + 27) / 2 = 25.5.
        // final = 100 × (32 + 22.5 + 1.5 × 25.5) / 115 = 100 × 92.75 / 115 = 80.652… → 80.65
        // share = 25.5 / 30 = 0.85
        ScoreResult result = Scoring.Compute(Standard,
        [
            Points(("org", 30m), ("act", 20m), ("unity", 24m)),
            Points(("org", 34m), ("act", 25m), ("unity", 27m)),
        ]);

        Assert.Equal(80.65m, result.Final);
        Assert.Equal(0.85m, result.UnityShare);
        Assert.Equal(32m, result.MeanPoints["org"]);
        Assert.Equal(22.5m, result.MeanPoints["act"]);
        Assert.Equal(25.5m, result.MeanPoints["unity"]);
        Assert.Equal(3, result.MeanPoints.Count);
    }

    [Fact]
    public void Unity_weight_changes_the_final_score()
    {
        // Same points as above with weight 1: 100 × (32 + 22.5 + 25.5) / (40 + 30 + 30) = 80.00, not 80.65.
        Rubric unweighted = Standard with { UnityWeight = 1m };
        ScoreResult result = Scoring.Compute(unweighted,
        [
            Points(("org", 30m), ("act", 20m), ("unity", 24m)),
            Points(("org", 34m), ("act", 25m), ("unity", 27m)),
        ]);

        Assert.Equal(80.00m, result.Final);
    }

    [Fact]
    public void A_weak_unity_result_weighs_more_than_the_same_points_elsewhere()
    {
        // Full marks except 10 points lost: on unity the loss is weighted 1.5.
        // Lost on org:   100 × (30 + 30 + 1.5 × 30) / 115 = 100 × 105 / 115 = 91.304… → 91.30
        // Lost on unity: 100 × (40 + 30 + 1.5 × 20) / 115 = 100 × 100 / 115 = 86.956… → 86.96
        ScoreResult lostOnOrg = Scoring.Compute(Standard, [Points(("org", 30m), ("act", 30m), ("unity", 30m))]);
        ScoreResult lostOnUnity = Scoring.Compute(Standard, [Points(("org", 40m), ("act", 30m), ("unity", 20m))]);

        Assert.Equal(91.30m, lostOnOrg.Final);
        Assert.Equal(1.0000m, lostOnOrg.UnityShare);
        Assert.Equal(86.96m, lostOnUnity.Final);
        // 20 / 30 = 0.66666… → 0.6667
        Assert.Equal(0.6667m, lostOnUnity.UnityShare);
    }

    [Fact]
    public void A_mean_that_does_not_terminate_is_kept_unrounded()
    {
        // org max 20, unity max 10 weighted 2: weighted maximum = 20 + 2 × 10 = 40.
        // org mean = (10 + 10 + 11) / 3 = 31/3, unity mean = 5.
        // final = 100 × (31/3 + 2 × 5) / 40 = 100 × (61/3) / 40 = 6100 / 120 = 50.8333… → 50.83
        Rubric rubric = RubricOf(2m, ("org", 20m, false), ("unity", 10m, true));
        ScoreResult result = Scoring.Compute(rubric,
        [
            Points(("org", 10m), ("unity", 5m)),
            Points(("org", 10m), ("unity", 5m)),
            Points(("org", 11m), ("unity", 5m)),
        ]);

        Assert.Equal(50.83m, result.Final);
        Assert.Equal(0.5m, result.UnityShare);
        Assert.Equal(31m / 3m, result.MeanPoints["org"]);
    }

    [Fact]
    public void Final_score_rounds_half_away_from_zero()
    {
        // org max 80, unity max 20, weight 1: weighted maximum 100, so the final is the sum of the means.
        // org mean = (70 + 70 + 70 + 70.5) / 4 = 70.125, unity mean = 15: final = 85.125 exactly.
        // Half away from zero gives 85.13; banker's rounding would give 85.12.
        Rubric rubric = RubricOf(1m, ("org", 80m, false), ("unity", 20m, true));
        ScoreResult result = Scoring.Compute(rubric,
        [
            Points(("org", 70m), ("unity", 15m)),
            Points(("org", 70m), ("unity", 15m)),
            Points(("org", 70m), ("unity", 15m)),
            Points(("org", 70.5m), ("unity", 15m)),
        ]);

        Assert.Equal(85.13m, result.Final);
    }

    [Fact]
    public void Unity_share_rounds_half_away_from_zero()
    {
        // org max 68, unity max 32, weight 1: unity mean = (20 + 22) / 2 = 21, share = 21 / 32 = 0.65625 exactly.
        // Half away from zero gives 0.6563; banker's rounding would give 0.6562.
        // final = 100 × (68 + 21) / 100 = 89.00
        Rubric rubric = RubricOf(1m, ("org", 68m, false), ("unity", 32m, true));
        ScoreResult result = Scoring.Compute(rubric,
        [
            Points(("org", 68m), ("unity", 20m)),
            Points(("org", 68m), ("unity", 22m)),
        ]);

        Assert.Equal(0.6563m, result.UnityShare);
        Assert.Equal(89.00m, result.Final);
    }

    [Fact]
    public void Full_marks_give_100_and_a_full_share()
    {
        ScoreResult result = Scoring.Compute(Standard,
        [
            Points(("org", 40m), ("act", 30m), ("unity", 30m)),
            Points(("org", 40m), ("act", 30m), ("unity", 30m)),
        ]);

        Assert.Equal(100m, result.Final);
        Assert.Equal(1m, result.UnityShare);
    }

    [Fact]
    public void No_points_give_0_and_an_empty_share()
    {
        ScoreResult result = Scoring.Compute(Standard, [Points(("org", 0m), ("act", 0m), ("unity", 0m))]);

        Assert.Equal(0m, result.Final);
        Assert.Equal(0m, result.UnityShare);
        Assert.All(result.MeanPoints.Values, mean => Assert.Equal(0m, mean));
    }

    [Fact]
    public void A_rubric_without_unity_criteria_has_a_full_share()
    {
        // Nothing to fall short of. final = 100 × (30 + 20) / (40 + 30) = 71.428… → 71.43
        Rubric rubric = RubricOf(1.5m, ("org", 40m, false), ("act", 30m, false));
        ScoreResult result = Scoring.Compute(rubric, [Points(("org", 30m), ("act", 20m))]);

        Assert.Equal(71.43m, result.Final);
        Assert.Equal(1m, result.UnityShare);
    }

    [Fact]
    public void No_scorers_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Scoring.Compute(Standard, []));
    }

    [Fact]
    public void A_scorer_missing_a_criterion_is_refused()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => Scoring.Compute(Standard,
        [
            Points(("org", 40m), ("act", 30m), ("unity", 30m)),
            Points(("org", 40m), ("act", 30m)),
        ]));
        Assert.Contains("unity", error.Message);
    }

    [Fact]
    public void An_unknown_criterion_is_refused()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => Scoring.Compute(Standard,
            [Points(("org", 40m), ("act", 30m), ("unity", 30m), ("bonus", 5m))]));
        Assert.Contains("bonus", error.Message);
    }

    [Fact]
    public void A_criterion_id_differing_only_in_case_is_unknown()
    {
        Assert.Throws<ArgumentException>(() => Scoring.Compute(Standard,
            [Points(("ORG", 40m), ("act", 30m), ("unity", 30m))]));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(40.01)]
    public void Points_outside_zero_to_the_maximum_are_refused(double orgPoints)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Scoring.Compute(Standard,
            [Points(("org", (decimal)orgPoints), ("act", 30m), ("unity", 30m))]));
    }

    [Fact]
    public void A_rubric_with_no_points_to_reach_is_refused()
    {
        Rubric rubric = RubricOf(1m, ("org", 0m, false));
        Assert.Throws<ArgumentException>(() => Scoring.Compute(rubric, [Points(("org", 0m))]));
    }
}
