using Eval.Bench;
using Eval.Workflows.Domain;

namespace Eval.UnitTests.Bench;

/// <summary>
/// The bench's oracle on cases worked by hand from docs/scoring.md, with the Chifeng rubric: four criteria of 25 points,
/// unity weighted 1.5 (a weighted maximum of 112.5), absences 0.5 each up to 4, the commendation up to 3, no total cap;
/// with and without the members' appraisal (basic 0.7, appraisal 0.3, valid from 5 ballots and two thirds, the gate at
/// 60% capping at 合格); and the bench's campaign, which must exercise every one of those rules.
/// </summary>
public sealed class ExpectedRatingsTests
{
    static ScorerCard Card(decimal a, decimal b, decimal c, decimal u, int absences = 0, decimal honour = 0, bool innovation = true) =>
        new([a, b, c, u], absences, honour, innovation);

    static ScoredBranch Branch(string id, int townshipAbsences, params ScorerCard[] scorers) => new(id, "", townshipAbsences, scorers);

    public static TheoryData<string, ScoredBranch, decimal, decimal> Cases => new()
    {
        // 100 × (20 + 22 + 24 + 1.5 × 24) / 112.5 = 10200 / 112.5 = 90.666…; share 24 / 25.
        { "base alone", Branch("b", 0, Card(20, 22, 24, 24)), 90.67m, 0.96m },
        // The township found 3 absences, the scorer 5: the most, 5, count: 2.5 off; honour 2: 90.666… − 2.5 + 2 = 90.1666….
        { "every rule at once", Branch("b", 3, Card(20, 22, 24, 24, absences: 5, honour: 2)), 90.17m, 0.96m },
        // The township's 3 are more than the scorer's 2: 1.5 off → 89.1666….
        { "the township's count when it is the most", Branch("b", 3, Card(20, 22, 24, 24, absences: 2)), 89.17m, 0.96m },
        // 10 absences would take 5; the cap takes 4 → 86.666….
        { "a deduction stops at its cap", Branch("b", 10, Card(20, 22, 24, 24)), 86.67m, 0.96m },
        // 100 × 2.5 / 112.5 = 2.222…; 8 absences take 4: basic 0, not −1.777…; then honour 1.
        { "basic never goes below 0", Branch("b", 0, Card(1, 0, 0, 1, absences: 8, honour: 1)), 1.00m, 0.04m },
        // Full points and the full commendation: no maxTotal, so past 100.
        { "a total past 100", Branch("b", 0, Card(25, 25, 25, 25, honour: 3)), 103.00m, 1m },
        // Two scorers: absences 2 and 4 beside the township's 3, so 4 count (2 off), not 9; honour 3 and 2, mean 2.5:
        // 90.666… − 2 + 2.5 = 91.1666….
        { "two scorers: the most occurrences, the mean bonus",
            Branch("b", 3, Card(20, 22, 24, 24, absences: 2, honour: 3), Card(20, 22, 24, 24, absences: 4, honour: 2)), 91.17m, 0.96m },
        // Two scorers' points are averaged: 100 × (102 + 97.5) / 225 = 88.666…; share (24 + 21) / 50.
        { "two scorers' points", Branch("b", 0, Card(20, 22, 24, 24), Card(20, 22, 24, 21)), 88.67m, 0.9m },
        // One of three scorers awards 1: the mean 0.333… does not terminate, the total 100.333… is kept exact until rounded.
        { "a mean that does not terminate", Branch("b", 0, Card(25, 25, 25, 25, honour: 1), Card(25, 25, 25, 25),
            Card(25, 25, 25, 25)), 100.33m, 1m },
        // One of four scorers awards 0.5: 100.125 exactly, rounded half away from zero (to even it would be 100.12).
        { "half away from zero", Branch("b", 0, Card(25, 25, 25, 25, honour: 0.5m), Card(25, 25, 25, 25), Card(25, 25, 25, 25),
            Card(25, 25, 25, 25)), 100.13m, 1m },
        // The share rounded to 4 decimals: (24 + 24 + 23) / 75 = 0.94666…; the score 100 × (3 × 75 + 1.5 × 71) / 337.5.
        { "a share rounded once", Branch("b", 0, Card(25, 25, 25, 24), Card(25, 25, 25, 24), Card(25, 25, 25, 23)), 98.22m, 0.9467m },
    };

    static ScoredBranch Voted(ScoredBranch branch, int eligible, int satisfied, int fair, int dissatisfied) =>
        branch with { Appraisal = new MembersVote(eligible, satisfied, fair, dissatisfied) };

    /// <summary>
    /// With the members' appraisal (满意 100, 基本满意 80, 不满意 0): 0.7 × basic + 0.3 × the ballots' mean + bonuses, over
    /// one denominator, rounded once; an appraisal that does not count gives its component 0.
    /// </summary>
    public static TheoryData<string, ScoredBranch, decimal, decimal> AppraisalCases => new()
    {
        // 11 of 15 vote (0.7333): 8 satisfied, 3 fair, a mean of 1040 / 11 = 94.5454… that never terminates.
        // 0.7 × 100 + 0.3 × 1040 / 11 = 70 + 28.3636… = 98.3636… → 98.36; from the mean rounded first (94.55), 98.365 → 98.37.
        { "the mean kept exact", Voted(Branch("b", 0, Card(25, 25, 25, 25)), 15, 8, 3, 0), 98.36m, 1m },
        // basic 90.666…: 0.7 × 90.666… = 63.4666…; 14 satisfied and one fair: 0.3 × 98.666… = 29.6; honour 2 → 95.0666….
        { "basic, appraisal and bonus", Voted(Branch("b", 0, Card(20, 22, 24, 24, honour: 2)), 15, 14, 1, 0), 95.07m, 0.96m },
        // The township's 3 absences and the scorer's 5: 2.5 off, basic 88.1666…, 0.7 × = 61.71666…; all 15 satisfied: 30.
        { "deductions under the appraisal", Voted(Branch("b", 3, Card(20, 22, 24, 24, absences: 5)), 15, 15, 0, 0), 91.72m, 0.96m },
        // 9 of 15 is 0.6, under two thirds: the appraisal does not count, its component is 0: 0.7 × 90.666… = 63.4666….
        { "too few voted: the component is 0", Voted(Branch("b", 0, Card(20, 22, 24, 24)), 15, 9, 0, 0), 63.47m, 0.96m },
        // 10 of 15 is 0.666… = 0.6667 to 4 decimals: it counts. 7 satisfied, 3 fair: a mean of 94: 70 + 28.2.
        { "10 of 15 is two thirds", Voted(Branch("b", 0, Card(25, 25, 25, 25)), 15, 7, 3, 0), 98.20m, 1m },
        // 4 of 5 is 80%, but under 5 ballots nothing counts (nor is shown): 0.7 × 100.
        { "fewer than 5 ballots", Voted(Branch("b", 0, Card(25, 25, 25, 25)), 5, 4, 0, 0), 70.00m, 1m },
    };

    [Theory]
    [MemberData(nameof(AppraisalCases))]
    public void A_branch_with_the_members_appraisal_is_scored_by_the_formula_of_the_doc(string rule, ScoredBranch branch, decimal score,
        decimal share)
    {
        var (actualScore, actualShare) = ExpectedRatings.Score(branch);
        Assert.Equal((rule, score, share), (rule, actualScore, actualShare));
    }

    [Fact]
    public void The_appraisal_counts_with_five_ballots_and_two_thirds_and_its_satisfaction_is_rounded_to_4_decimals()
    {
        Assert.Equal((true, 1040m, 0.9455m), ExpectedRatings.Appraisal(new MembersVote(15, 8, 3, 0)));
        Assert.Equal((true, 900m, 0.6m), ExpectedRatings.Appraisal(new MembersVote(15, 9, 0, 6)));
        Assert.Equal((false, 0m, null), ExpectedRatings.Appraisal(new MembersVote(15, 9, 0, 0)));
        Assert.Equal((false, 0m, null), ExpectedRatings.Appraisal(new MembersVote(5, 4, 0, 0)));
        Assert.Equal((false, 0m, null), ExpectedRatings.Appraisal(new MembersVote(0, 0, 0, 0)));
    }

    [Fact]
    public void The_appraisals_gate_caps_at_qualified_and_leaves_the_place_to_the_next()
    {
        // One group of 4: ⌊1.2⌋ = 1 top place.
        ScoredBranch[] branches =
        [
            // 70 + 0.3 × 860 / 15 (57.33% satisfied) + honour 3 = 90.20: strongest by its score, under the gate's 60%.
            Voted(new("g.b1", "g", 0, [Card(25, 25, 25, 25, honour: 3)]), 15, 7, 2, 6),
            // 0.7 × 88.1666… + 0.3 × 1420 / 15 = 61.71666… + 28.4 = 90.1166…: the place b1 could not take.
            Voted(new("g.b2", "g", 0, [Card(20, 22, 24, 24, absences: 5)]), 15, 11, 4, 0),
            // 70 + 0.3 × 60 = 88: exactly 60% satisfied passes the gate.
            Voted(new("g.b3", "g", 0, [Card(25, 25, 25, 25)]), 15, 9, 0, 6),
            // 9 of 15 voted: 70, and the gate fails (an appraisal that does not count).
            Voted(new("g.b4", "g", 0, [Card(25, 25, 25, 25)]), 15, 9, 0, 0),
        ];
        Assert.Equal(
            [("g.b1", 90.20m, "qualified"), ("g.b2", 90.12m, "strongest"), ("g.b3", 88.00m, "advanced"), ("g.b4", 70.00m, "qualified")],
            ExpectedRatings.Compute(branches).Select(r => (r.BranchId, r.Score, r.Level)));
        Assert.Equal([false, true, true, false], branches.Select(ExpectedRatings.PassesAppraisalGate));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_branch_is_scored_by_the_formula_of_the_doc(string rule, ScoredBranch branch, decimal score, decimal share)
    {
        var (actualScore, actualShare) = ExpectedRatings.Score(branch);
        Assert.Equal((rule, score, share), (rule, actualScore, actualShare));
    }

    // Two counties: c1 with 7 ranked branches has ⌊0.3 × 7⌋ = 2 top places, c2 with 3 has ⌊0.9⌋ = none.
    static readonly ScoredBranch[] TwoCounties =
    [
        new("c1.t1.b1", "c1", 0, [Card(25, 25, 25, 25)]),                          // 100
        new("c1.t1.b2", "c1", 1, [Card(25, 25, 25, 25, innovation: false)]),       // 99.5, no innovation flag
        new("c1.t1.b3", "c1", 2, [Card(25, 25, 25, 25)]),                          // 99
        new("c1.t1.b4", "c1", 0, [Card(25, 25, 25, 19.5m)]),                       // 92.67, share 0.78
        new("c1.t1.b5", "c1", 3, [Card(25, 25, 25, 25)]),                          // 98.5
        new("c1.t1.b6", "c1", 0, [Card(20, 20, 20, 24)]),                          // 85.33
        new("c1.t1.b7", "c1", 0, [Card(15, 15, 15, 20)]),                          // 66.67
        new("c2.t1.b1", "c2", 0, [Card(25, 25, 25, 25)]),                          // 100
        new("c2.t1.b2", "c2", 0, [Card(20, 22, 24, 24)]),                          // 90.67
        new("c2.t1.b3", "c2", 0, [Card(10, 10, 10, 10)]),                          // 40
    ];

    [Fact]
    public void The_top_level_counts_each_countys_places_and_asks_for_the_share_and_the_flag()
    {
        List<ExpectedRating> list = ExpectedRatings.Compute(TwoCounties, flagGate: true);

        // Ranked by score, then id: c1's 100 before c2's. c1.b2 lacks the flag and c1.b4 the share, so the places go to
        // b1 and b3; b5 finds c1's places taken. c2 has no place at all.
        Assert.Equal(
            [
                ("c1.t1.b1", 1, "strongest"), ("c2.t1.b1", 2, "advanced"), ("c1.t1.b2", 3, "advanced"), ("c1.t1.b3", 4, "strongest"),
                ("c1.t1.b5", 5, "advanced"), ("c1.t1.b4", 6, "advanced"), ("c2.t1.b2", 7, "advanced"), ("c1.t1.b6", 8, "advanced"),
                ("c1.t1.b7", 9, "qualified"), ("c2.t1.b3", 10, "none"),
            ],
            list.Select(r => (r.BranchId, r.Rank, r.Level)));
        Assert.Equal((92.67m, 0.78m), (list[5].Score, list[5].UnityShare));
    }

    [Fact]
    public void Without_the_flag_gate_the_places_go_down_the_ranking() =>
        Assert.Equal(["c1.t1.b1", "c1.t1.b2"],
            ExpectedRatings.Compute(TwoCounties, flagGate: false).Where(r => r.Level == "strongest").Select(r => r.BranchId));

    [Fact]
    public void Equal_scores_are_ranked_by_share_then_by_id()
    {
        // 100 × (25 + 25 + 23.5 + 1.5 × 25) / 112.5 = 98.666… and 100 × (75 + 1.5 × 24) / 112.5 = 98.666…: the same score.
        ScoredBranch[] tied =
        [
            new("c1.t1.b1", "", 0, [Card(25, 25, 25, 24)]),
            new("c1.t1.b3", "", 0, [Card(25, 25, 23.5m, 25)]),
            new("c1.t1.b2", "", 0, [Card(25, 25, 23.5m, 25)]),
        ];
        Assert.Equal([("c1.t1.b2", 1m), ("c1.t1.b3", 1m), ("c1.t1.b1", 0.96m)],
            ExpectedRatings.Compute(tied).Select(r => (r.BranchId, r.UnityShare)));
        Assert.All(ExpectedRatings.Compute(tied), r => Assert.Equal(98.67m, r.Score));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(BenchOptions.FullBranches)]
    public void The_benchs_campaign_exercises_every_rule(int branches)
    {
        List<string> ids = [.. ProductCampaign.Units(branches).Where(u => u.Kind == UnitKinds.Branch).Select(u => u.Id)];
        List<ScoredBranch> scored =
            [.. ids.Select((b, i) => BranchSteps.Scored(b, i, ProductCampaign.PlacesGroup(ProductCampaign.City, b), appraisal: true))];
        List<ExpectedRating> list = ExpectedRatings.Compute(scored, ProductCampaign.TopLevelNeedsInnovation);
        var byId = scored.ToDictionary(s => s.BranchId);
        int TownshipFound(ExpectedRating r) => byId[r.BranchId].TownshipAbsences;
        int ScorerFound(ExpectedRating r) => byId[r.BranchId].Scorers[0].Absences;

        Assert.Contains(list, r => TownshipFound(r) * 0.5m > 4);
        Assert.Contains(list, r => ScorerFound(r) * 0.5m > 4);
        Assert.Contains(list, r => TownshipFound(r) > 0 && ScorerFound(r) > TownshipFound(r));
        Assert.Contains(list, r => ScorerFound(r) > 0 && ScorerFound(r) < TownshipFound(r));
        Assert.Contains(list, r => r.Score > 100);
        Assert.Contains(list, r => r.Score >= 90 && r.UnityShare < 0.8m && r.Level != "strongest");
        Assert.Contains(list, r => r.Score >= 90 && r.UnityShare >= 0.8m && !byId[r.BranchId].Scorers[0].Innovation);
        Assert.Equal(["advanced", "none", "qualified", "strongest"], list.Select(r => r.Level).Distinct().Order());

        // The members' appraisal: some do not count (15 of 24 voted), some count just over two thirds (15 of 22); some
        // branches are under 60% satisfied with a score that would have been advanced or better, one at exactly 60% passes;
        // most means do not terminate.
        var appraisal = scored.ToDictionary(s => s.BranchId, s => ExpectedRatings.Appraisal(s.Appraisal!));
        bool Gated(ExpectedRating r) => !ExpectedRatings.PassesAppraisalGate(byId[r.BranchId]);
        Assert.Contains(list, r => !appraisal[r.BranchId].Valid && r.Level == "qualified");
        Assert.Contains(scored, s => appraisal[s.BranchId].Valid && s.Appraisal!.Eligible == 22);
        Assert.All(scored, s => Assert.Equal(15, s.Appraisal!.Ballots));
        Assert.Contains(list, r => appraisal[r.BranchId].Satisfaction < 0.6m && r.Score >= 80 && r.Level == "qualified");
        Assert.Contains(list, r => appraisal[r.BranchId].Satisfaction == 0.6m && r.Level == "advanced");
        Assert.True(scored.Count(s => appraisal[s.BranchId].Valid && appraisal[s.BranchId].ValueSum * 1000 % s.Appraisal!.Ballots != 0)
            > scored.Count / 2, "most means do not terminate");
        Assert.All(list.Where(Gated), r => Assert.True(r.Level is "qualified" or "none", r.BranchId));
        Assert.True(list.Count(Gated) < branches / 10, "most branches pass the appraisal's gate");

        // Some counties fill their places with branches left over; others have fewer branches that could take one.
        var counties = list.GroupBy(r => byId[r.BranchId].Group).Select(g => (
            Places: g.Count() * 3 / 10,
            Strongest: g.Count(r => r.Level == "strongest"),
            Eligible: g.Count(r => r.Score >= 90 && r.UnityShare >= 0.8m && byId[r.BranchId].Scorers[0].Innovation && !Gated(r))))
            .ToList();
        Assert.Contains(counties, c => c.Strongest == c.Places && c.Eligible > c.Places);
        Assert.Contains(counties, c => c.Strongest == c.Eligible && c.Eligible < c.Places);
        Assert.True(list.Count(r => r.Level == "strongest") >= branches / 10, "a meaningful number of strongest ratings");
    }
}
