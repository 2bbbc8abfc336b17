using System.Globalization;
using Eval.Application.Statistics;

namespace Eval.UnitTests.Reports;

/// <summary>The statistics' fixed bins (each holds its lower bound, not its upper one; the last is open above) and sums.</summary>
public sealed class StatisticsTallyTests
{
    [Theory]
    [InlineData("-1", 0)]
    [InlineData("0", 0)]
    [InlineData("9.99", 0)]
    [InlineData("10", 1)]
    [InlineData("59.99", 5)]
    [InlineData("60", 6)]
    [InlineData("89.99", 8)]
    [InlineData("90", 9)]
    [InlineData("100", 9)]
    [InlineData("103", 9)]
    public void Scores_fall_in_bins_of_ten_points(string score, int bin) =>
        Assert.Equal(bin, HistogramBins.IndexOf(HistogramBins.Scores, decimal.Parse(score, CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("0", 0)]
    [InlineData("0.0999", 0)]
    [InlineData("0.1", 1)]
    [InlineData("0.7999", 7)]
    [InlineData("0.8", 8)]
    [InlineData("0.96", 9)]
    [InlineData("1", 9)]
    public void Unity_shares_fall_in_bins_of_a_tenth(string share, int bin) =>
        Assert.Equal(bin, HistogramBins.IndexOf(HistogramBins.UnityShares, decimal.Parse(share, CultureInfo.InvariantCulture)));

    [Fact]
    public void A_histogram_names_each_bin_by_its_bounds()
    {
        int[] counts = [0, 0, 0, 0, 0, 0, 1, 0, 2, 3];
        IReadOnlyList<HistogramBin> bins = HistogramBins.Of(HistogramBins.Scores, counts);
        Assert.Equal(10, bins.Count);
        Assert.Equal(new HistogramBin(60m, 70m, 1), bins[6]);
        Assert.Equal(new HistogramBin(90m, null, 3), bins[9]);
    }

    [Fact]
    public void A_unit_tally_counts_stages_outcomes_levels_and_the_scored_ones_mean()
    {
        var tally = new UnitTally();
        tally.Add(new BranchFacts("c.t.b1", "一", "done", false, "scored", 96m, 0.96m, "strongest") { Eligible = 6, Ballots = 6 });
        tally.Add(new BranchFacts("c.t.b2", "二", "done", false, "scored", 80m, 0.8m, "advanced") { Eligible = 4, Ballots = 1 });
        tally.Add(new BranchFacts("c.t.b3", "三", "awaiting-township-review", true, null, null, null, null));
        UnitStatistics s = tally.ToStatistics("chifeng.hongshan.t01", "第1苏木", ["strongest", "advanced", "none", "revoked"],
            appraisal: true);

        Assert.Equal((3, 2, 1, 1, 2), (s.Evaluations, s.Stages["done"], s.Stages["awaiting-township-review"], s.Overdue, s.Scored));
        Assert.Equal(2, s.Outcomes["scored"]);
        Assert.Equal(0, s.Outcomes["vetoed"]);
        Assert.Equal(new Dictionary<string, int> { ["strongest"] = 1, ["advanced"] = 1, ["none"] = 0, ["revoked"] = 0 }, s.Levels);
        Assert.Equal(88m, s.MeanScore);
        Assert.Equal(new[] { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1 }, s.Scores.Select(b => b.Count));
        Assert.Equal(new[] { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1 }, s.UnityShares.Select(b => b.Count));
        Assert.Equal(new AppraisalParticipation(2, 10, 7, 0.7m, 0, 0), s.Appraisal);
        Assert.Equal("township", s.Kind);
    }
}
