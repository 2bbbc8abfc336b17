using Eval.Workflows.Domain;

namespace Eval.UnitTests.Domain;

/// <summary>Ranking order and level assignment: quotas (rounded down), minimum scores and the top level's unity gate.</summary>
public sealed class RankingTests
{
    const decimal UnityMinShare = 0.6m;

    static readonly Level Excellent = new("excellent", "Strongest branch", 90m, 0.3m);
    static readonly Level Good = new("good", "Good", 80m);
    static readonly Level Pass = new("pass", "Pass", 60m);
    static readonly IReadOnlyList<Level> Levels = [Excellent, Good, Pass];

    static RankingEntry Entry(string id, decimal score, decimal share = 0.9m) => new(id, $"Branch {id}", score, share);

    /// <summary>Ten branches b01..b10 with scores 99, 98, … 90 and a passing unity share.</summary>
    static List<RankingEntry> TenStrongBranches() => [.. Enumerable.Range(1, 10).Select(i => Entry($"b{i:00}", 100m - i))];

    [Fact]
    public void Ties_on_score_are_broken_by_unity_share_then_by_branch_id_ordinally()
    {
        // b1 leads on score; b3, b10 and b2 tie on 85; b3 has the higher share; b10 and b2 tie on share too and
        // "b10" < "b2" ordinally ('1' < '2'), though b2 would come first in a numeric order.
        IReadOnlyList<RankedBranch> ranked = Ranking.Rank(
            [Entry("b2", 85m, 0.7m), Entry("b10", 85m, 0.7m), Entry("b1", 90m, 0.5m), Entry("b3", 85m, 0.8m)],
            Levels, UnityMinShare);

        Assert.Equal(["b1", "b3", "b10", "b2"], ranked.Select(r => r.BranchId));
        Assert.Equal([1, 2, 3, 4], ranked.Select(r => r.Rank));
    }

    [Fact]
    public void Branch_ids_compare_by_code_point_not_by_culture()
    {
        // 'B' (U+0042) < 'a' (U+0061) ordinally; a culture-aware comparison would put "a2" first.
        IReadOnlyList<RankedBranch> ranked = Ranking.Rank([Entry("a2", 85m), Entry("B1", 85m)], Levels, UnityMinShare);

        Assert.Equal(["B1", "a2"], ranked.Select(r => r.BranchId));
    }

    [Fact]
    public void Ranked_branches_keep_their_name_score_and_share()
    {
        IReadOnlyList<RankedBranch> ranked = Ranking.Rank([Entry("b1", 85.5m, 0.75m)], Levels, UnityMinShare);

        Assert.Equal(new RankedBranch("b1", "Branch b1", 85.5m, 0.75m, 1, "good"),
            Assert.Single(ranked) with { Reason = null, Why = null });
    }

    [Fact]
    public void A_quota_of_30_percent_of_ten_branches_takes_exactly_the_three_strongest()
    {
        // ⌊0.3 × 10⌋ = 3: b01, b02, b03 are excellent; b04 (96) reaches 90 as well but the quota is full.
        IReadOnlyList<RankedBranch> ranked = Ranking.Rank(TenStrongBranches(), Levels, UnityMinShare);

        Assert.Equal(
            ["excellent", "excellent", "excellent", "good", "good", "good", "good", "good", "good", "good"],
            ranked.Select(r => r.Level));
        Assert.Equal("b04", ranked[3].BranchId);
    }

    [Theory]
    // n, quota, ⌊quota × n⌋
    [InlineData(10, 0.3, 3)]
    [InlineData(3, 0.3, 0)]  // 0.9 → 0: nobody
    [InlineData(10, 0.25, 2)] // 2.5 → 2
    [InlineData(4, 0.5, 2)]
    [InlineData(7, 1.0, 7)]
    public void A_quota_is_a_share_of_all_ranked_branches_rounded_down(int count, double quota, int expectedExcellent)
    {
        Level excellent = Excellent with { Quota = (decimal)quota };
        List<RankingEntry> entries = [.. Enumerable.Range(1, count).Select(i => Entry($"b{i:00}", 95m))];

        IReadOnlyList<RankedBranch> ranked = Ranking.Rank(entries, [excellent, Good], UnityMinShare);

        Assert.Equal(expectedExcellent, ranked.Count(r => r.Level == "excellent"));
        Assert.Equal(count - expectedExcellent, ranked.Count(r => r.Level == "good"));
        // The quota goes to the top of the ranking.
        Assert.All(ranked.Take(expectedExcellent), r => Assert.Equal("excellent", r.Level));
    }

    [Fact]
    public void A_high_score_with_a_low_unity_share_gets_the_second_level_and_leaves_the_quota_to_others()
    {
        // b01 (99) has share 0.5 < 0.6: not excellent but good. The 3 excellent places go to b02, b03, b04.
        List<RankingEntry> entries = TenStrongBranches();
        entries[0] = entries[0] with { UnityShare = 0.5m };

        IReadOnlyList<RankedBranch> ranked = Ranking.Rank(entries, Levels, UnityMinShare);

        Assert.Equal(("b01", 1, "good"), (ranked[0].BranchId, ranked[0].Rank, ranked[0].Level));
        Assert.Equal(["b02", "b03", "b04"], ranked.Where(r => r.Level == "excellent").Select(r => r.BranchId));
        Assert.Equal("good", ranked[4].Level);
    }

    [Theory]
    [InlineData(0.6, "excellent")]    // exactly the minimum share passes
    [InlineData(0.5999, "good")]
    public void The_unity_gate_needs_at_least_the_minimum_share(double share, string expectedLevel)
    {
        IReadOnlyList<RankedBranch> ranked = Ranking.Rank(
            [Entry("b1", 95m, (decimal)share), Entry("b2", 70m), Entry("b3", 70m), Entry("b4", 70m)], Levels, UnityMinShare);

        // ⌊0.3 × 4⌋ = 1 excellent place.
        Assert.Equal(expectedLevel, ranked[0].Level);
    }

    [Fact]
    public void The_unity_gate_applies_to_the_first_level_only()
    {
        // Share 0.1 is far below 0.6, yet 85 is good and 65 is pass.
        IReadOnlyList<RankedBranch> ranked = Ranking.Rank([Entry("b1", 85m, 0.1m), Entry("b2", 65m, 0.1m)], Levels, UnityMinShare);

        Assert.Equal(["good", "pass"], ranked.Select(r => r.Level));
    }

    [Fact]
    public void A_level_without_a_quota_takes_every_branch_that_reaches_its_minimum()
    {
        List<RankingEntry> entries = [.. Enumerable.Range(1, 10).Select(i => Entry($"b{i:00}", 85m))];

        IReadOnlyList<RankedBranch> ranked = Ranking.Rank(entries, Levels, UnityMinShare);

        Assert.All(ranked, r => Assert.Equal("good", r.Level));
    }

    [Fact]
    public void A_full_lower_level_passes_branches_on_to_the_next_one()
    {
        // good holds ⌊0.5 × 4⌋ = 2: b1 and b2; b3 also reaches 80 but falls to pass; b4 (59.99) gets none.
        Level limitedGood = Good with { Quota = 0.5m };
        IReadOnlyList<RankedBranch> ranked = Ranking.Rank(
            [Entry("b1", 88m), Entry("b2", 85m), Entry("b3", 82m), Entry("b4", 59.99m)], [Excellent, limitedGood, Pass], UnityMinShare);

        Assert.Equal(["good", "good", "pass", Ranking.NoLevel], ranked.Select(r => r.Level));
    }

    [Theory]
    [InlineData(90, "excellent")]
    [InlineData(89.99, "good")]
    [InlineData(80, "good")]
    [InlineData(60, "pass")]
    [InlineData(59.99, "none")]
    [InlineData(0, "none")]
    public void Each_level_needs_at_least_its_minimum_score(double score, string expectedLevel)
    {
        // Quota 1.0 so the single branch is never kept out of excellent by ⌊0.3 × 1⌋ = 0.
        Level openExcellent = Excellent with { Quota = 1m };
        IReadOnlyList<RankedBranch> ranked = Ranking.Rank([Entry("b1", (decimal)score)], [openExcellent, Good, Pass], UnityMinShare);

        Assert.Equal(expectedLevel, Assert.Single(ranked).Level);
    }

    [Fact]
    public void No_level_is_given_when_the_campaign_defines_none()
    {
        IReadOnlyList<RankedBranch> ranked = Ranking.Rank([Entry("b1", 99m), Entry("b2", 98m)], [], UnityMinShare);

        Assert.Equal([Ranking.NoLevel, Ranking.NoLevel], ranked.Select(r => r.Level));
        Assert.Equal([1, 2], ranked.Select(r => r.Rank));
    }

    [Fact]
    public void No_entries_give_an_empty_ranking()
    {
        Assert.Empty(Ranking.Rank([], Levels, UnityMinShare));
    }

    [Fact]
    public void The_ranking_does_not_depend_on_the_input_order()
    {
        List<RankingEntry> entries = [Entry("b2", 85m, 0.7m), Entry("b10", 85m, 0.7m), Entry("a", 85m, 0.7m), Entry("b1", 91m)];
        List<RankingEntry> reversed = [.. Enumerable.Reverse(entries)];

        // The explanations too: compared as the JSON the ratings rows keep.
        static string Written(IReadOnlyList<RankedBranch> ranked) =>
            Eval.Workflows.Storage.Json.Write(ranked.Select(r => new { r, r.Why }).ToList());
        Assert.Equal(Written(Ranking.Rank(entries, Levels, UnityMinShare)), Written(Ranking.Rank(reversed, Levels, UnityMinShare)));
        Assert.Equal(["b1", "a", "b10", "b2"], Ranking.Rank(reversed, Levels, UnityMinShare).Select(r => r.BranchId));
    }

    [Fact]
    public void A_branch_listed_twice_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Ranking.Rank([Entry("b1", 90m), Entry("b1", 80m)], Levels, UnityMinShare));
    }

    [Fact]
    public void The_level_names_are_fixed()
    {
        // Stored and returned by the API: changing them breaks published results.
        Assert.Equal("none", Ranking.NoLevel);
        Assert.Equal("revoked", Ranking.Revoked);
    }
}
