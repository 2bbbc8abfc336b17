using Eval.Workflows.Domain;

namespace Eval.UnitTests.Domain;

/// <summary>
/// The structured rubric's scoring (docs/scoring.md): sections, deductions, bonuses, components and the cap, each rule
/// with the worked example docs/scoring.md gives, computed by hand in the comments.
/// </summary>
public sealed class StructuredScoringTests
{
    // Four sections of one criterion each, 25 points; 民族团结进步 is a unity section, weighted 1.5:
    // weighted maximum = 25 + 25 + 25 + 1.5 × 25 = 112.5.
    internal static readonly Rubric Chifeng = new(
        [
            new Criterion("p1", "理论学习", 25, Section: "political"),
            new Criterion("o1", "组织生活", 25, Section: "organization"),
            new Criterion("s1", "为民服务", 25, Section: "service"),
            new Criterion("u1", "民族团结创建", 25, Section: "unity"),
        ], UnityWeight: 1.5m, UnityMinShare: 0.8m, [])
    {
        Sections =
        [
            new RubricSection("political", "政治引领"), new RubricSection("organization", "组织引领"),
            new RubricSection("service", "服务引领"), new RubricSection("unity", "民族团结进步", Unity: true),
        ],
        Deductions = [new DeductionItem("absent", "缺席组织生活", PointsEach: 0.5m, Cap: 4m)],
        Bonuses = [new BonusItem("innovation", "创新项目", 3m), new BonusItem("honour", "上级表彰", 2m)],
        BonusCap = 4m,
        Components = [new ScoreComponent(ScoreComponents.Basic, 0.7m), new ScoreComponent(ScoreComponents.Appraisal, 0.3m)],
    };

    static IReadOnlyDictionary<string, decimal>[] Points(decimal p, decimal o, decimal s, decimal u) =>
        [new Dictionary<string, decimal> { ["p1"] = p, ["o1"] = o, ["s1"] = s, ["u1"] = u }];

    static ScoreAdjustments Adjust(int absent = 0, decimal innovation = 0, decimal honour = 0, decimal? appraisal = null) => new(
        absent > 0 ? [new AppliedDeduction("absent", absent, "缺席")] : [],
        [.. new[] { ("innovation", innovation), ("honour", honour) }.Where(b => b.Item2 > 0)
            .Select(b => new AwardedBonus(b.Item1, b.Item2, "表彰"))],
        appraisal);

    public static TheoryData<string, decimal[], int, decimal, decimal, decimal?, decimal> Examples => new()
    {
        // base = 100 × (20 + 22 + 24 + 1.5 × 24) / 112.5 = 100 × 102 / 112.5 = 90.666…; 3 absences: 1.5 off →
        // basic 89.1666…; 0.7 × 89.1666… + 0.3 × 85 = 62.41666… + 25.5 = 87.91666…; + bonus 3 = 90.91666… → 90.92
        { "every rule at once", [20, 22, 24, 24], 3, 3, 0, 85m, 90.92m },
        // 10 absences would take 5 off, the cap takes 4: basic = 90.666… − 4 = 86.666…; 0.7 × 86.666… = 60.666…;
        // appraisal missing counts 0 → 60.67
        { "a deduction stops at its cap", [20, 22, 24, 24], 10, 0, 0, null, 60.67m },
        // innovation 5 awarded, 3 counted; honour 2: 5, over the bonus cap of 4. Full points: base 100,
        // 0.7 × 100 + 0.3 × 100 = 100; + 4 = 104 (no maxTotal here)
        { "bonuses stop at the item's and the rubric's caps", [25, 25, 25, 25], 0, 5, 2, 100m, 104m },
        // base = 100 × (1 + 0 + 0 + 1.5 × 1) / 112.5 = 2.222…; 8 absences = 4 off → basic 0, never below;
        // 0.3 × 50 = 15 → 15.00
        { "the basic component never goes below 0", [1, 0, 0, 1], 8, 0, 0, 50m, 15m },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Each_rule_scores_as_docs_scoring_md_works_it_out(string rule, decimal[] points, int absences, decimal innovation,
        decimal honour, decimal? appraisal, decimal final)
    {
        ScoreBreakdown score = Scoring.Breakdown(Chifeng, Points(points[0], points[1], points[2], points[3]),
            Adjust(absences, innovation, honour, appraisal));
        Assert.True(final == score.Final, $"{rule}: {score.Final}, not {final}");
    }

    [Fact]
    public void The_breakdown_shows_every_step()
    {
        ScoreBreakdown score =
            Scoring.Breakdown(Chifeng, Points(20, 22, 24, 24), Adjust(absent: 10, innovation: 5, honour: 2, appraisal: 85));

        Assert.Equal(["political", "organization", "service", "unity"], score.Sections.Select(s => s.Id));
        Assert.Equal(new SectionScore("unity", "民族团结进步", true, 24m, 25m), score.Sections[3]);
        Assert.Equal(new DeductionLine("absent", "缺席组织生活", 10, 4m, Capped: true, "缺席"), Assert.Single(score.Deductions));
        Assert.Equal(4m, score.DeductionTotal);
        Assert.Equal(
            [
                new BonusLine("innovation", "创新项目", 5m, 3m, true, "表彰"),
                new BonusLine("honour", "上级表彰", 2m, 2m, false, "表彰"),
            ],
            score.Bonuses);
        Assert.Equal(4m, score.BonusTotal); // 3 + 2 = 5, capped at 4
        Assert.Equal(0.96m, score.UnityShare); // 24 / 25, deductions do not touch it
        // base 90.666…, basic 86.666…; 0.7 × 86.666… + 0.3 × 85 + 4 = 60.666… + 25.5 + 4 = 90.1666… → 90.17
        Assert.Equal(90.17m, score.Final);
        Assert.Equal([ScoreComponents.Basic, ScoreComponents.Appraisal], score.Components.Select(c => c.Kind));
        Assert.Equal(25.5m, score.Components[1].Weighted);
        Assert.False(score.Capped);
    }

    [Fact]
    public void With_two_scorers_a_deduction_counts_its_most_occurrences_and_a_bonus_the_scorers_mean()
    {
        // The township found 3 absences, the scorers 2 and 4: the same facts, so the most, 4, count (2 off), not 9.
        // Innovation: 3 and none → mean 1.5; honour 2 and 1 → 1.5. basic = 90.666… − 2 = 88.666…;
        // 0.7 × 88.666… + 0.3 × 85 + 3 = 62.0666… + 25.5 + 3 = 90.5666… → 90.57
        IReadOnlyDictionary<string, decimal>[] points = [.. Points(20, 22, 24, 24), .. Points(20, 22, 24, 24)];
        var review = new TownshipReview(ReviewDecisions.Approve, null) { Deductions = [new AppliedDeduction("absent", 3, "乡镇查实")] };
        CountyScore[] scores =
        [
            new(points[0], null, null)
            {
                Deductions = [new AppliedDeduction("absent", 2, "台账2次")],
                Bonuses = [new AwardedBonus("innovation", 3m, "创新"), new AwardedBonus("honour", 2m, "市级表彰")],
            },
            new(points[1], null, null)
            {
                Deductions = [new AppliedDeduction("absent", 4, "台账4次")], Bonuses = [new AwardedBonus("honour", 1m, "表彰")],
            },
        ];

        ScoreBreakdown score = Scoring.Breakdown(Chifeng, points, ScoreAdjustments.Of(review, scores) with { Appraisal = 85m });

        Assert.Equal(new DeductionLine("absent", "缺席组织生活", 4, 2m, false, "乡镇查实; 台账2次; 台账4次"),
            Assert.Single(score.Deductions));
        Assert.Equal([1.5m, 1.5m], score.Bonuses.Select(b => b.Points));
        Assert.Equal(90.57m, score.Final);
    }

    [Fact]
    public void A_bonus_mean_that_does_not_terminate_still_rounds_the_total_once()
    {
        // Three scorers, full points (base 100), basic alone at weight 1, one award of 1 → mean 0.333…:
        // 100 + 0.333… → 100.33; a bonus cap of 1/3 × 3 = 1 per item is compared over the sums, exactly.
        Rubric rubric = Chifeng with { Components = null, BonusCap = null };
        IReadOnlyDictionary<string, decimal>[] points = [.. Points(25, 25, 25, 25), .. Points(25, 25, 25, 25), .. Points(25, 25, 25, 25)];
        var adjustments = new ScoreAdjustments([], [new AwardedBonus("honour", 1m, "表彰")]);

        ScoreBreakdown score = Scoring.Breakdown(rubric, points, adjustments);

        Assert.Equal(100.33m, score.Final);
        Assert.False(Assert.Single(score.Bonuses).Capped);
    }

    [Fact]
    public void The_total_cap_holds_a_total_that_bonuses_take_past_it()
    {
        ScoreBreakdown score = Scoring.Breakdown(Chifeng with { MaxTotal = 100m }, Points(25, 25, 25, 25),
            Adjust(innovation: 3, appraisal: 100m));

        Assert.Equal(103m, score.Uncapped);
        Assert.True(score.Capped);
        Assert.Equal(100m, score.Final);
    }

    [Fact]
    public void A_total_of_exactly_a_half_cent_rounds_up_though_the_base_alone_does_not_terminate()
    {
        // base = 100 × (25 + 25 + 19 + 1.5 × 21) / 112.5 = 100 × 100.5 / 112.5 = 89.333…; with basic at 0.9 and the
        // appraisal 83.35 at 0.1: 0.9 × 89.333… + 8.335 = 80.4 + 8.335 = 88.735 exactly → 88.74. Rounding the base's
        // quotient first gives 88.734999… → 88.73.
        Rubric rubric = Chifeng with
        {
            Components = [new ScoreComponent(ScoreComponents.Basic, 0.9m), new ScoreComponent(ScoreComponents.Appraisal, 0.1m)],
        };
        Assert.Equal(88.74m, Scoring.Breakdown(rubric, Points(25, 25, 19, 21), Adjust(appraisal: 83.35m)).Final);
    }

    [Fact]
    public void A_flat_rubric_scores_as_before_as_one_basic_component()
    {
        // The flat Chifeng rubric of ScoringTests' kind: the same points without sections, components or adjustments.
        Rubric flat = new([.. Chifeng.Criteria.Select(c => c with { Section = null, Unity = c.Id == "u1" })], 1.5m, 0.8m, []);
        ScoreBreakdown score = Scoring.Breakdown(flat, Points(20, 22, 24, 24), ScoreAdjustments.None);

        Assert.Equal(90.67m, score.Final); // 90.666… as the base, unchanged
        Assert.Equal(score.Final, Scoring.Compute(flat, Points(20, 22, 24, 24)).Final);
        Assert.Empty(score.Sections);
        Assert.Equal(new ComponentLine(ScoreComponents.Basic, 1m, score.Base, score.Base), Assert.Single(score.Components));
    }

    [Fact]
    public void Adjustments_the_rubric_does_not_have_are_refused()
    {
        IReadOnlyDictionary<string, decimal>[] points = Points(20, 22, 24, 24);
        Assert.Throws<ArgumentException>(() =>
            Scoring.Breakdown(Chifeng, points, new ScoreAdjustments([new AppliedDeduction("late", 1, "迟到")], [])));
        Assert.Throws<ArgumentException>(() =>
            Scoring.Breakdown(Chifeng, points, new ScoreAdjustments([], [new AwardedBonus("gold", 1m, "金牌")])));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Scoring.Breakdown(Chifeng, points, new ScoreAdjustments([new AppliedDeduction("absent", 0, "无")], [])));
        Assert.Throws<ArgumentOutOfRangeException>(() => Scoring.Breakdown(Chifeng, points, Adjust(appraisal: 100.5m)));
    }
}
