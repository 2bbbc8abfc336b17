using Eval.LocalHost.Cli;
using Eval.Workflows.Domain;

namespace Eval.UnitTests.Domain;

/// <summary>
/// The members' appraisal (民主测评) as docs/scoring.md works it out: how the ballots are counted (participation, validity,
/// the satisfaction, too few to show), how the score takes their exact mean, and how the appraisal's gate caps a level.
/// Every number here is one of that page's examples, on the rubric of its other examples and the Chifeng appraisal
/// (满意 100, 基本满意 80, 不满意 0; two thirds must vote; below 60% satisfied at most 合格党支部).
/// </summary>
public sealed class AppraisalScoringTests
{
    static readonly AppraisalDefinition Appraisal = ChifengCampaign.Appraisal;

    static Dictionary<string, int> Counts(int satisfied, int fair, int dissatisfied) =>
        new() { ["satisfied"] = satisfied, ["fair"] = fair, ["dissatisfied"] = dissatisfied };

    static AppraisalResult Count(int eligible, int satisfied, int fair, int dissatisfied) =>
        AppraisalResult.Count(Appraisal, eligible, Counts(satisfied, fair, dissatisfied), satisfied + fair + dissatisfied);

    static IReadOnlyDictionary<string, decimal>[] Points(decimal p, decimal o, decimal s, decimal u) =>
        [new Dictionary<string, decimal> { ["p1"] = p, ["o1"] = o, ["s1"] = s, ["u1"] = u }];

    static ScoreBreakdown Score(Rubric rubric, IReadOnlyDictionary<string, decimal>[] points, AppraisalMean? appraisal) =>
        Scoring.Breakdown(rubric, points, ScoreAdjustments.None with { Appraisal = appraisal });

    [Fact]
    public void Six_ballots_of_six_count_with_their_satisfaction_and_the_count_of_each_choice()
    {
        // 100 + 100 + 100 + 80 + 80 + 0 = 460 over 6: 76.666…; the satisfaction 0.76666… → 0.7667 (76.67%).
        AppraisalResult result = Count(6, 3, 2, 1);

        Assert.Equal((6, 6, 1m, true), (result.Ballots, result.Eligible, result.Participation, result.Valid));
        Assert.Null(result.Invalid);
        Assert.Equal((460m, 0.7667m), (result.ValueSum, result.Satisfaction));
        ChoiceCount[] counts =
            [new("satisfied", "满意", 3), new("fair", "基本满意", 2), new("dissatisfied", "不满意", 1)];
        Assert.Equal(counts, result.Counts!);
        Assert.Equal(new AppraisalMean(460m, 6), result.ScoreValue);
        Assert.Equal("6 of 6 voted (100.00%); satisfaction 76.67%: 满意 3, 基本满意 2, 不满意 1", result.Detail);
    }

    [Fact]
    public void Participation_is_compared_at_4_decimals()
    {
        // 10 of 15 = 0.66666… → 0.6667, which reaches a minimum of 0.6667 (two thirds as written).
        AppraisalResult ten = Count(15, 10, 0, 0);
        Assert.Equal((0.6667m, true), (ten.Participation, ten.Valid));

        // 9 of 15 = 0.6: shown and counted (the satisfaction and the counts stay), but it does not count.
        AppraisalResult nine = Count(15, 9, 0, 0);
        Assert.Equal((0.6m, false), (nine.Participation, nine.Valid));
        Assert.Equal("participation 60.00% (9 of 15) < 66.67%", nine.Invalid);
        Assert.Equal(1m, nine.Satisfaction);
        Assert.Null(nine.ScoreValue);
    }

    [Fact]
    public void Fewer_than_five_ballots_are_too_few_to_show_and_do_not_count()
    {
        // 4 of 4: full participation, but four counts would show how each member voted.
        AppraisalResult four = Count(4, 0, 0, 4);

        Assert.Equal((4, 1m, false, false), (four.Ballots, four.Participation, four.Valid, four.Shown));
        Assert.Equal("too few ballots to show (4 < 5)", four.Invalid);
        Assert.Null(four.Satisfaction);
        Assert.Null(four.ValueSum);
        Assert.Null(four.Counts);
        Assert.Null(four.ScoreValue);
        Assert.Equal("4 of 4 voted (100.00%); too few to show; not valid: too few ballots to show (4 < 5)", four.Detail);
    }

    [Fact]
    public void Without_a_roster_nobody_could_vote()
    {
        AppraisalResult none = Count(0, 0, 0, 0);

        Assert.Equal((0m, false, "no roster: nobody could vote"), (none.Participation, none.Valid, none.Invalid));
        Assert.Null(none.ScoreValue);
    }

    [Fact]
    public void The_component_is_the_exact_mean_of_the_ballots()
    {
        // Points 24 each: base = 100 × (24 + 24 + 24 + 1.5 × 24) / 112.5 = 96. 460 over 6 ballots = 76.666…:
        // 0.7 × 96 + 0.3 × 76.666… = 67.2 + 23 = 90.20; the line shows the mean to 4 decimals, 76.6667.
        ScoreBreakdown score = Score(StructuredScoringTests.Chifeng, Points(24, 24, 24, 24), new AppraisalMean(460m, 6));

        Assert.Equal(90.20m, score.Final);
        Assert.Equal(new ComponentLine(ScoreComponents.Appraisal, 0.3m, 76.6667m, 23m), score.Components[1]);
        Assert.Equal(new ComponentLine(ScoreComponents.Basic, 0.7m, 96m, 67.2m), score.Components[0]);
    }

    [Fact]
    public void The_score_takes_the_mean_not_the_satisfaction_as_shown()
    {
        // Points 21, 21, 20, 23: base = 100 × (21 + 21 + 20 + 1.5 × 23) / 112.5 = 100 × 96.5 / 112.5 = 85.777…;
        // 0.7 × 85.777… + 0.3 × 76.666… = 60.0444… + 23 = 83.0444… → 83.04. The satisfaction shown, 76.67%, would
        // give 60.0444… + 23.001 = 83.0454… → 83.05.
        Assert.Equal(83.04m, Score(StructuredScoringTests.Chifeng, Points(21, 21, 20, 23), new AppraisalMean(460m, 6)).Final);
        Assert.Equal(83.05m, Score(StructuredScoringTests.Chifeng, Points(21, 21, 20, 23), 76.67m).Final);
    }

    [Fact]
    public void The_ballots_join_the_one_denominator_so_a_half_cent_rounds_up()
    {
        // 16 ballots: 11 满意, 3 基本满意, 2 不满意 = 1100 + 240 = 1340, mean 83.75. Points 25, 25, 19, 21: base 89.333…;
        // basic 0.9 and appraisal 0.1: 0.9 × 89.333… + 0.1 × 83.75 = 80.4 + 8.375 = 88.775 exactly → 88.78.
        // Rounding the base's quotient first gives 88.774999… → 88.77.
        Rubric rubric = StructuredScoringTests.Chifeng with
        {
            Components = [new ScoreComponent(ScoreComponents.Basic, 0.9m), new ScoreComponent(ScoreComponents.Appraisal, 0.1m)],
        };
        AppraisalResult result = Count(20, 11, 3, 2);
        Assert.Equal((0.8m, true, 0.8375m), (result.Participation, result.Valid, result.Satisfaction));

        Assert.Equal(88.78m, Score(rubric, Points(25, 25, 19, 21), result.ScoreValue).Final);
    }

    [Fact]
    public void An_appraisal_that_does_not_count_scores_0()
    {
        // 4 ballots: no score value, so the appraisal component is 0: 0.7 × 96 = 67.20.
        ScoreBreakdown score = Score(StructuredScoringTests.Chifeng, Points(24, 24, 24, 24), Count(4, 4, 0, 0).ScoreValue);

        Assert.Equal(67.20m, score.Final);
        Assert.Equal(0m, score.Components[1].Value);
    }

    [Fact]
    public void The_gate_caps_a_branch_below_the_satisfaction_or_without_a_valid_appraisal()
    {
        // The gate sits on every level above 合格党支部: 最强党支部 and 先进党支部.
        IReadOnlyList<Level> levels = CampaignDefinition.RankedLevels(
            [.. ChifengCampaign.Levels.Select(l => l with { Quota = null })], Appraisal);
        Assert.Equal([1, 1, 0], levels.Select(l => (l.Gates ?? []).Count(g => g.Kind == GateKinds.Appraisal)));

        // Satisfaction (0 + 0 + 0 + 100 + 80 + 100) / 600 = 0.4667 < 0.6; 4 ballots do not count; 0.7667 passes.
        RankingEntry Branch(string id, AppraisalResult appraisal) => new($"chifeng.hongshan.t01.{id}", id, 95m, 0.96m)
        {
            AppraisalSatisfaction = appraisal.Valid ? appraisal.Satisfaction : null,
            AppraisalInvalid = appraisal.Invalid,
        };
        Dictionary<string, RankedBranch> ranked = Ranking.Rank(
            [Branch("good", Count(6, 3, 2, 1)), Branch("poor", Count(6, 2, 1, 3)), Branch("few", Count(4, 4, 0, 0))],
            levels, 0.8m).ToDictionary(r => r.BranchName);

        Assert.Equal(("strongest", "qualified", "qualified"), (ranked["good"].Level, ranked["poor"].Level, ranked["few"].Level));
        Assert.Equal(
            [
                new LevelMiss("strongest", MissReasons.Appraisal, "members' satisfaction 46.67% < 60.00%"),
                new LevelMiss("advanced", MissReasons.Appraisal, "members' satisfaction 46.67% < 60.00%"),
            ], ranked["poor"].Why!.Missed);
        Assert.Equal(new LevelMiss("strongest", MissReasons.Appraisal,
            "members' appraisal does not count: too few ballots to show (4 < 5)"), ranked["few"].Why!.Missed[0]);
        Assert.Equal("最强党支部: members' satisfaction 46.67% < 60.00%", ranked["poor"].Reason);
    }
}
