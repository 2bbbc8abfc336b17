using Eval.Workflows.Domain;

namespace Eval.Application.Statistics;

/// <summary>
/// The fixed bins of the statistics' histograms. Scores (0 to 100) fall in ten bins of ten points, unity shares (0 to 1)
/// in ten bins of a tenth; each bin holds its lower bound and not its upper one, and the last is open above (it holds
/// 100 and 1, and a score a bonus took past 100). The bounds match the usual level thresholds (60, 80, 90) and unity
/// minimum (0.8), so a bin is never split by one.
/// </summary>
public static class HistogramBins
{
    public static readonly IReadOnlyList<decimal> Scores = [0m, 10m, 20m, 30m, 40m, 50m, 60m, 70m, 80m, 90m];
    public static readonly IReadOnlyList<decimal> UnityShares = [0m, 0.1m, 0.2m, 0.3m, 0.4m, 0.5m, 0.6m, 0.7m, 0.8m, 0.9m];

    /// <summary>The bin of <paramref name="value"/>: the last whose lower bound it reaches (the first for anything below).</summary>
    public static int IndexOf(IReadOnlyList<decimal> lowerBounds, decimal value)
    {
        int index = 0;
        for (int i = 1; i < lowerBounds.Count; i++)
            if (value >= lowerBounds[i]) index = i;
        return index;
    }

    /// <summary>The bins with their counts: from (inclusive), to (exclusive; none for the last), count.</summary>
    public static IReadOnlyList<HistogramBin> Of(IReadOnlyList<decimal> lowerBounds, int[] counts) =>
        [.. lowerBounds.Select((from, i) => new HistogramBin(from, i + 1 < lowerBounds.Count ? lowerBounds[i + 1] : null, counts[i]))];
}

/// <summary>
/// One bin of a histogram: values from <paramref name="From"/> up to, not including, <paramref name="To"/> (none: no bound).
/// </summary>
public sealed record HistogramBin(decimal From, decimal? To, int Count);

/// <summary>
/// The members' appraisal (民主测评) over a unit's branches, from the ballot boxes: how many branches have a roster, how
/// many members may vote and how many did (participation = ballots ÷ eligible, 4 decimals), and of the appraisals counted
/// when their windows closed, how many count (are valid). Counts only: nothing here says how anyone voted.
/// </summary>
public sealed record AppraisalParticipation(int Rosters, int Eligible, int Ballots, decimal? Participation, int Counted, int Valid);

/// <summary>
/// One unit's evaluations: how many there are, at each stage, overdue, by outcome, by level (when a list exists: the
/// proposed one during the notice, the published one after it; a branch not on it, not scored, has none), the scored ones'
/// mean and histograms of scores and unity shares (<see cref="HistogramBins"/>), and the members' appraisal when the
/// campaign holds one.
/// </summary>
public sealed record UnitStatistics(string Unit, string Name, string Kind, int Evaluations, IReadOnlyDictionary<string, int> Stages,
    int Overdue, IReadOnlyDictionary<string, int> Outcomes, IReadOnlyDictionary<string, int>? Levels, int Scored, decimal? MeanScore,
    IReadOnlyList<HistogramBin> Scores, IReadOnlyList<HistogramBin> UnityShares, AppraisalParticipation? Appraisal);

/// <summary>
/// A campaign's statistics for <paramref name="Unit"/>: its own row (<paramref name="Total"/>) and one per child unit, as
/// computed at <paramref name="AsOf"/> (at most <paramref name="MaxAgeSeconds"/> before it was served).
/// <paramref name="LevelsFrom"/> says which list the levels come from: <c>proposed</c>, <c>published</c> or none.
/// </summary>
public sealed record CampaignStatistics(string CampaignId, string Status, string Unit, DateTimeOffset AsOf, int MaxAgeSeconds,
    string? LevelsFrom, UnitStatistics Total, IReadOnlyList<UnitStatistics> Children);

/// <summary>What the statistics keep of one branch's evaluation (a few columns of its rows).</summary>
public sealed record BranchFacts(string BranchId, string Name, string Stage, bool Overdue, string? Outcome, decimal? Score,
    decimal? UnityShare, string? Level)
{
    public int Eligible { get; init; }
    public int Ballots { get; init; }
    public bool AppraisalCounted { get; init; }
    public bool AppraisalValid { get; init; }
}

/// <summary>The running sums of a unit's branches, turned into its <see cref="UnitStatistics"/>.</summary>
public sealed class UnitTally
{
    readonly Dictionary<string, int> stages = Workflows.Domain.Stages.All.ToDictionary(s => s, _ => 0, StringComparer.Ordinal);
    readonly Dictionary<string, int> outcomes = OutcomeOrder.ToDictionary(o => o, _ => 0, StringComparer.Ordinal);
    readonly Dictionary<string, int> levels = new(StringComparer.Ordinal);
    readonly int[] scores = new int[HistogramBins.Scores.Count], shares = new int[HistogramBins.UnityShares.Count];
    int evaluations, overdue, scored, rosters, eligible, ballots, counted, valid;
    decimal scoreSum;

    /// <summary>The outcomes in the order the statistics show them.</summary>
    public static readonly IReadOnlyList<string> OutcomeOrder =
        [Workflows.Domain.Outcomes.Scored, Workflows.Domain.Outcomes.NotSubmitted, Workflows.Domain.Outcomes.Rejected,
            Workflows.Domain.Outcomes.Vetoed, Workflows.Domain.Outcomes.NotEvaluated];

    public void Add(BranchFacts b)
    {
        evaluations++;
        if (stages.ContainsKey(b.Stage)) stages[b.Stage]++;
        if (b.Overdue) overdue++;
        if (b.Outcome is { } o && outcomes.ContainsKey(o)) outcomes[o]++;
        if (b.Level is { } l) levels[l] = levels.GetValueOrDefault(l) + 1;
        if (b.Score is { } s)
        {
            scored++;
            scoreSum += s;
            scores[HistogramBins.IndexOf(HistogramBins.Scores, s)]++;
            shares[HistogramBins.IndexOf(HistogramBins.UnityShares, b.UnityShare ?? 0m)]++;
        }
        if (b.Eligible > 0) rosters++;
        eligible += b.Eligible;
        ballots += b.Ballots;
        if (b.AppraisalCounted) counted++;
        if (b.AppraisalValid) valid++;
    }

    /// <summary>
    /// The unit's statistics; levels counted under <paramref name="levelIds"/> (every one shown, none when there is no list
    /// yet), the appraisal only when the campaign holds one.
    /// </summary>
    public UnitStatistics ToStatistics(string unit, string name, IReadOnlyList<string>? levelIds, bool appraisal) => new(
        unit, name, UnitPath.KindOf(unit), evaluations, new Dictionary<string, int>(stages), overdue,
        new Dictionary<string, int>(outcomes),
        levelIds?.ToDictionary(l => l, l => levels.GetValueOrDefault(l), StringComparer.Ordinal),
        scored,
        scored > 0 ? Math.Round(scoreSum / scored, 2, MidpointRounding.AwayFromZero) : null,
        HistogramBins.Of(HistogramBins.Scores, scores),
        HistogramBins.Of(HistogramBins.UnityShares, shares),
        appraisal
            ? new AppraisalParticipation(rosters, eligible, ballots,
                eligible > 0 ? Math.Round((decimal)ballots / eligible, 4, MidpointRounding.AwayFromZero) : null, counted, valid)
            : null);
}
