using Eval.Workflows.Domain;

namespace Eval.UnitTests.Domain;

/// <summary>
/// Level gates (a flag, uploaded evidence, a unity share) and the explanation every ranked branch carries: what gave it
/// its level and, for each level above it, what decided it missed that one (docs/scoring.md, "Why this level").
/// </summary>
public sealed class GatedRankingTests
{
    const decimal UnityMinShare = 0.8m;

    static Level Top(params LevelGate[] gates) =>
        new("strongest", "最强党支部", 90m, Quota: 0.5m) { Gates = gates.Length == 0 ? null : gates };

    static readonly Level Advanced = new("advanced", "先进党支部", 80m);

    static RankingEntry Branch(string id, decimal score, decimal unityShare = 0.9m, string[]? flags = null, int files = 0) =>
        new($"chifeng.hongshan.t1.{id}", id, score, unityShare) { Flags = flags ?? [], EvidenceFiles = files };

    static Dictionary<string, RankedBranch> Rank(IReadOnlyList<RankingEntry> entries, params Level[] levels) =>
        Ranking.Rank(entries, levels, UnityMinShare).ToDictionary(r => r.BranchName);

    [Fact]
    public void A_flag_gate_passes_over_a_branch_without_the_flag_to_the_next_one()
    {
        var ranked = Rank([Branch("b1", 96), Branch("b2", 94, flags: ["innovation"]), Branch("b3", 92), Branch("b4", 85)],
            Top(new LevelGate(GateKinds.Flag) { Flag = "innovation" }), Advanced);

        // ⌊0.5 × 4⌋ = 2 places; b1 lacks the flag, b2 has it, b3 lacks it: one place stays unused.
        Assert.Equal(["advanced", "strongest", "advanced", "advanced"], ranked.Values.OrderBy(r => r.Rank).Select(r => r.Level));
        LevelMiss miss = Assert.Single(ranked["b1"].Why!.Missed);
        Assert.Equal(new LevelMiss("strongest", MissReasons.Flag, "no county scorer marked it innovation"), miss);
        Assert.Equal("最强党支部: no county scorer marked it innovation", ranked["b1"].Reason);
        Assert.Null(ranked["b2"].Reason);
        Assert.Equal("score 94.00 ≥ 90.00, within the places of all ranked branches", ranked["b2"].Why!.Given);
    }

    [Fact]
    public void Each_missed_level_says_what_decided_it()
    {
        var ranked = Rank(
            [
                Branch("b1", 97, files: 3), Branch("b2", 95, files: 3), Branch("b3", 93, files: 1),
                Branch("b4", 91, unityShare: 0.78m, files: 3), Branch("b5", 85), Branch("b6", 70),
            ],
            Top(new LevelGate(GateKinds.Evidence) { MinFiles = 2 }), Advanced);

        // ⌊0.5 × 6⌋ = 3 places: b1 and b2 take two; b3 cites 1 file of 2; b4 misses the unity share; b5 and b6 fall short.
        Assert.Equal(new LevelMiss("strongest", MissReasons.Evidence, "1 uploaded files cited < 2"), ranked["b3"].Why!.Missed[0]);
        Assert.Equal(new LevelMiss("strongest", MissReasons.UnityShare, "unity share 0.78 < 0.80"), ranked["b4"].Why!.Missed[0]);
        Assert.Equal(new LevelMiss("strongest", MissReasons.MinScore, "score 85.00 < 90.00"), ranked["b5"].Why!.Missed[0]);
        Assert.Equal(["strongest", "advanced"], ranked["b6"].Why!.Missed.Select(m => m.Level));
        Assert.Equal(Ranking.NoLevel, ranked["b6"].Level);
        Assert.Null(ranked["b6"].Why!.Given);
        Assert.Equal("score 85.00 ≥ 80.00", ranked["b5"].Why!.Given);
    }

    [Fact]
    public void A_full_quota_names_the_rank_that_took_the_last_place_and_the_unit()
    {
        QuotaAllocation byCounty = new(UnitKinds.County);
        Level top = new("strongest", "最强党支部", 90m, Quota: 0.5m) { Allocation = byCounty };
        RankingEntry[] entries = [Branch("b1", 99), Branch("b2", 98), Branch("b3", 97), Branch("b4", 96)];

        var ranked = Ranking.Rank(entries, [top, Advanced], UnityMinShare,
            unitNames: new Dictionary<string, string> { ["chifeng.hongshan"] = "红山区" }).ToDictionary(r => r.BranchName);

        Assert.Equal(new LevelMiss("strongest", MissReasons.QuotaFull, "quota full at rank 2 in 红山区"), ranked["b3"].Why!.Missed[0]);
        Assert.Equal("最强党支部: quota full at rank 2 in 红山区", ranked["b4"].Reason);
        Assert.Equal("score 98.00 ≥ 90.00, within the places of 红山区", ranked["b2"].Why!.Given);
    }

    [Fact]
    public void A_categorys_own_unity_minimum_and_a_unity_gate_on_a_lower_level_hold()
    {
        RankingEntry community = Branch("b1", 95, unityShare: 0.85m) with { UnityMinShare = 0.9m };
        Level advanced = Advanced with { Gates = [new LevelGate(GateKinds.UnityShare) { MinShare = 0.86m }] };

        var ranked = Rank([community, Branch("b2", 95, unityShare: 0.85m)], Top() with { Quota = null }, advanced);

        // b1's rubric asks 0.9 for the top level; the advanced level asks 0.86 of everyone.
        Assert.Equal(Ranking.NoLevel, ranked["b1"].Level);
        Assert.Equal(["unity share 0.85 < 0.90", "unity share 0.85 < 0.86"], ranked["b1"].Why!.Missed.Select(m => m.Detail));
        Assert.Equal("strongest", ranked["b2"].Level);
    }

    static BranchRegister Revoked(int daysBeforeStart) =>
        new(2025, "hongshan-2025", Ranking.NoLevel, HonourStatus.Revoked, 0)
        {
            RevokedAt = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero).AddDays(-daysBeforeStart),
            RevokedDaysBeforeStart = daysBeforeStart,
        };

    [Fact]
    public void A_title_revoked_within_the_period_misses_a_no_revocation_level_and_one_revoked_before_it_does_not()
    {
        var ranked = Rank(
            [
                Branch("b1", 98) with { Register = Revoked(100) }, Branch("b2", 96) with { Register = Revoked(365) },
                Branch("b3", 94) with { Register = new BranchRegister(2025, "hongshan-2025", "strongest", HonourStatus.Active, 2) },
                Branch("b4", 92),
            ],
            Top(new LevelGate(GateKinds.NoRevocation)) with { Quota = null }, Advanced);

        // The default period is a year: 100 days is within it, 365 is not; b3 was never revoked, b4 never had a title.
        Assert.Equal(["advanced", "strongest", "strongest", "strongest"], ranked.Values.OrderBy(r => r.Rank).Select(r => r.Level));
        Assert.Equal(new LevelMiss("strongest", MissReasons.NoRevocation,
            "title revoked 2025-11-21, 100 days before the campaign's start (within 365)"), ranked["b1"].Why!.Missed[0]);
        Assert.Equal("最强党支部: title revoked 2025-11-21, 100 days before the campaign's start (within 365)", ranked["b1"].Reason);
        Assert.Equal("score 98.00 ≥ 80.00", ranked["b1"].Why!.Given);
    }

    [Fact]
    public void A_no_revocation_gate_looks_back_as_far_as_it_says_and_comes_after_the_score()
    {
        Level top = Top(new LevelGate(GateKinds.NoRevocation) { WithinDays = 730 }) with { Quota = null };
        var ranked = Rank([Branch("b1", 98) with { Register = Revoked(400) }, Branch("b2", 85) with { Register = Revoked(10) }],
            top, Advanced with { Gates = [new LevelGate(GateKinds.NoRevocation) { WithinDays = 30 }] });

        Assert.Equal("title revoked 2025-01-25, 400 days before the campaign's start (within 730)", ranked["b1"].Why!.Missed[0].Detail);
        Assert.Equal("advanced", ranked["b1"].Level);
        // b2 misses the top level on its score first, then the advanced level's shorter period.
        Assert.Equal([MissReasons.MinScore, MissReasons.NoRevocation], ranked["b2"].Why!.Missed.Select(m => m.Reason));
        Assert.Equal(Ranking.NoLevel, ranked["b2"].Level);
    }

    [Fact]
    public void An_unranked_evaluation_says_it_was_vetoed_or_has_no_score()
    {
        Rubric rubric = new([new Criterion("unity", "民族团结进步", 25, Unity: true)], 1, 0.8m,
            [new VetoItem("ethnic-incident", "发生影响民族团结的重大事件")]);
        EvaluationRecord vetoed = new()
        {
            CampaignId = "c", BranchId = "b", BranchName = "b", Stage = Stages.Done, Outcome = Outcomes.Vetoed,
            Scores = [new ScoreEntry(new CountyScore(new Dictionary<string, decimal> { ["unity"] = 20 }, "ethnic-incident", null),
                new Actor("s1", "评分人", Roles.CountyScorer), DateTimeOffset.UnixEpoch)],
        };

        Assert.Equal(new LevelMiss(Ranking.NoLevel, MissReasons.Veto, "vetoed: 发生影响民族团结的重大事件"),
            RatingExplanation.NotRanked(vetoed, rubric)!.Unranked);
        Assert.Equal(MissReasons.NoScore,
            RatingExplanation.NotRanked(vetoed with { Outcome = Outcomes.NotSubmitted, Scores = [] }, rubric)!.Unranked!.Reason);
        Assert.Null(RatingExplanation.NotRanked(vetoed with { Outcome = Outcomes.Scored }, rubric));
    }
}
