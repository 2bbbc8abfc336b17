using Eval.Workflows.Domain;

namespace Eval.UnitTests.Domain;

/// <summary>
/// Quotas handed down the tree (星级创评指导数) and ranking within categories: each county's or township's branches
/// fill their own places, by the same order as the whole ranking.
/// </summary>
public sealed class AllocatedRankingTests
{
    const decimal UnityMinShare = 0.8m;

    // Two counties: hongshan with townships t1 (4 branches) and t2 (2), songshan with t1 (4). Scores fall with the index,
    // hongshan's first: every branch reaches the top level's 90.
    static readonly List<RankingEntry> Branches =
    [
        .. new[] { "chifeng.hongshan.t1", "chifeng.hongshan.t1", "chifeng.hongshan.t1", "chifeng.hongshan.t1",
                "chifeng.hongshan.t2", "chifeng.hongshan.t2", "chifeng.songshan.t1", "chifeng.songshan.t1",
                "chifeng.songshan.t1", "chifeng.songshan.t1" }
            .Select((township, i) =>
                new RankingEntry($"{township}.b{i:00}", $"支部{i}", 99m - i, 0.9m, i % 2 == 0 ? "village" : "community")),
    ];

    static Level Top(decimal? quota, QuotaAllocation? allocation = null) =>
        new("strongest", "最强党支部", 90m, quota) { Allocation = allocation };

    static readonly Level Advanced = new("advanced", "先进党支部", 80m);

    public static TheoryData<string, Level, bool, string[]> Cases => new()
    {
        // ⌊0.3 × 10⌋ = 3 of the whole ranking: b00, b01, b02, all hongshan.
        { "a global quota (as before)", Top(0.3m), false, ["b00", "b01", "b02"] },
        // ⌊0.3 × 6⌋ = 1 in hongshan (b00), ⌊0.3 × 4⌋ = 1 in songshan (b06).
        { "30 % of each county", Top(0.3m, new QuotaAllocation(UnitKinds.County)), false, ["b00", "b06"] },
        // ⌊0.5 × 4⌋ = 2 in hongshan.t1, ⌊0.5 × 2⌋ = 1 in hongshan.t2, 2 in songshan.t1.
        { "half of each township", Top(0.5m, new QuotaAllocation(UnitKinds.Township)), false, ["b00", "b01", "b04", "b06", "b07"] },
        // Explicit places: hongshan 3, songshan none named (so none).
        { "places named per county", Top(null, new QuotaAllocation(UnitKinds.County,
            new Dictionary<string, int> { ["chifeng.hongshan"] = 3 })), false, ["b00", "b01", "b02"] },
        // Within categories: villages b00 b02 b04 b06 b08 → ⌊0.4 × 5⌋ = 2 (b00, b02); communities b01 … b09 → 2 (b01, b03).
        { "40 % of each category", Top(0.4m), true, ["b00", "b01", "b02", "b03"] },
        // Per county and category: hongshan villages b00 b02 b04 → 1; hongshan communities b01 b03 b05 → 1;
        // songshan villages b06 b08 → 0 (⌊0.4 × 2⌋); songshan communities b07 b09 → 0.
        { "40 % of each county's categories", Top(0.4m, new QuotaAllocation(UnitKinds.County)), true, ["b00", "b01"] },
        // hongshan 1 place, songshan 5 for its 4 branches: one unused, which stays unused …
        { "places a county leaves unused stay unused", Top(null, new QuotaAllocation(UnitKinds.County,
            new Dictionary<string, int> { ["chifeng.hongshan"] = 1, ["chifeng.songshan"] = 5 })), false,
            ["b00", "b06", "b07", "b08", "b09"] },
        // … unless moved up: the best-ranked branch that found its county's places taken (b01) gets it.
        { "unused places moved up", Top(null, new QuotaAllocation(UnitKinds.County,
            new Dictionary<string, int> { ["chifeng.hongshan"] = 1, ["chifeng.songshan"] = 5 }) { MoveUnusedUp = true }), false,
            ["b00", "b01", "b06", "b07", "b08", "b09"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_allocation_fills_its_own_places_in_the_ranking_order(string rule, Level top, bool withinCategory, string[] strongest)
    {
        IReadOnlyList<RankedBranch> ranked = Ranking.Rank(Branches, [top, Advanced], UnityMinShare, withinCategory);

        Assert.True(strongest.SequenceEqual(ranked.Where(r => r.Level == "strongest").Select(r => r.BranchId[^3..])),
            $"{rule}: {string.Join(", ", ranked.Where(r => r.Level == "strongest").Select(r => r.BranchId))}");
        // The others reach 80 and take the next level; ranks stay those of the whole ranking.
        Assert.All(ranked.Where(r => r.Level != "strongest"), r => Assert.Equal("advanced", r.Level));
        Assert.Equal(Enumerable.Range(1, Branches.Count), ranked.Select(r => r.Rank));
    }

    [Fact]
    public void A_branch_given_a_moved_up_place_says_so()
    {
        var top = Top(null, new QuotaAllocation(UnitKinds.County,
            new Dictionary<string, int> { ["chifeng.hongshan"] = 1, ["chifeng.songshan"] = 5 }) { MoveUnusedUp = true });

        RankedBranch b01 = Ranking.Rank(Branches, [top, Advanced], UnityMinShare)
            .Single(r => r.BranchId.EndsWith("b01", StringComparison.Ordinal));

        Assert.Empty(b01.Why!.Missed);
        Assert.Null(b01.Reason);
        Assert.Contains("a place another unit left unused (chifeng.hongshan was full)", b01.Why.Given, StringComparison.Ordinal);
    }

    [Fact]
    public void Places_go_to_a_county_or_a_township_only()
    {
        Assert.Throws<ArgumentException>(() =>
            Ranking.Rank(Branches, [Top(0.3m, new QuotaAllocation(UnitKinds.Branch)), Advanced], UnityMinShare));
    }
}
