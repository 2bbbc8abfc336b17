using System.Text.Json.Serialization;

namespace Eval.Workflows.Domain;

/// <summary>
/// A choice on the members' ballot (满意, 基本满意, 不满意) and what it counts for, 0 to 100: the appraisal's satisfaction
/// is the mean of the ballots' values.
/// </summary>
public sealed record AppraisalChoice(string Id, string Title, decimal Value);

/// <summary>
/// The appraisal's gate: a branch whose satisfaction is below <paramref name="MinSatisfaction"/> (0 to 1), or whose
/// appraisal is not valid, gets no level above <paramref name="CapsAt"/> (a level id, or <c>none</c>).
/// </summary>
public sealed record AppraisalGate(decimal MinSatisfaction, string CapsAt);

/// <summary>
/// The members' appraisal (民主测评) of a campaign: ballots are cast during <see cref="Window"/> (an ISO duration) from the
/// fixed <see cref="OpensAt"/>, or from the moment the branch's self-assessment is first submitted; it is valid when at
/// least <see cref="MinParticipation"/> of the roster voted (and at least <see cref="AppraisalResult.MinBallotsShown"/>
/// ballots, so the counts can be shown). It counts through the rubric's <c>appraisal</c> component and its gate.
/// </summary>
public sealed record AppraisalDefinition(string Window, IReadOnlyList<AppraisalChoice> Choices, decimal MinParticipation)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? OpensAt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AppraisalGate? Gate { get; init; }

    /// <summary>When a window opened at <paramref name="opened"/> closes.</summary>
    public DateTimeOffset ClosesAt(DateTimeOffset opened) => opened + IsoDuration.Parse(Window);

    /// <summary>
    /// A branch's window: from the fixed time, or from its first self-assessment (<paramref name="openedWithSubmission"/>);
    /// none before that.
    /// </summary>
    public (DateTimeOffset Opens, DateTimeOffset Closes)? WindowOf(DateTimeOffset? openedWithSubmission) =>
        (OpensAt ?? openedWithSubmission) is { } opens ? (opens, ClosesAt(opens)) : null;
}

/// <summary>
/// The members' appraisal as counted when its window closed: how many ballots of how many members on the roster
/// (<see cref="Eligible"/>), whether it is valid (and why not), the satisfaction (0 to 1, to 4 decimals) and the
/// count of each choice. Fewer than <see cref="MinBallotsShown"/> ballots are not shown (they would show how members
/// voted): no satisfaction, no counts, and the appraisal is not valid. Counts, never ballots: nothing here names a voter.
/// </summary>
public sealed record AppraisalResult(int Ballots, int Eligible, decimal Participation, bool Valid)
{
    /// <summary>The fewest ballots whose counts are shown, and so the fewest an appraisal that counts may have.</summary>
    public const int MinBallotsShown = 5;

    /// <summary>Why the appraisal does not count: no roster, too few ballots to show, or participation below the minimum.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Invalid { get; init; }

    /// <summary>The mean of the ballots' values over 100, to 4 decimals; shown, and compared with the gate's minimum.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? Satisfaction { get; init; }

    /// <summary>The sum of the ballots' values (0 to 100 each): the score takes its mean exactly.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? ValueSum { get; init; }

    /// <summary>How many ballots chose each choice, in the campaign's order of choices.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ChoiceCount>? Counts { get; init; }

    /// <summary>Whether the counts are shown (at least <see cref="MinBallotsShown"/> ballots).</summary>
    [JsonIgnore]
    public bool Shown => Ballots >= MinBallotsShown;

    /// <summary>What the score's appraisal component takes: the ballots' mean value when the appraisal is valid, else none (0).</summary>
    [JsonIgnore]
    public AppraisalMean? ScoreValue => Valid && ValueSum is { } sum ? new AppraisalMean(sum, Ballots) : null;

    /// <summary>
    /// Counts the ballots as the campaign's appraisal says (docs/scoring.md, "The members' appraisal"): participation is
    /// ballots ÷ eligible to 4 decimals and must reach the minimum; fewer than 5 ballots are dropped unshown.
    /// </summary>
    public static AppraisalResult Count(AppraisalDefinition appraisal, int eligible, IReadOnlyDictionary<string, int> counts, int ballots)
    {
        ArgumentNullException.ThrowIfNull(appraisal);
        ArgumentNullException.ThrowIfNull(counts);
        decimal participation = eligible > 0 ? Math.Round((decimal)ballots / eligible, 4, MidpointRounding.AwayFromZero) : 0m;
        string? invalid = eligible == 0 ? "no roster: nobody could vote"
            : ballots < MinBallotsShown ? $"too few ballots to show ({ballots} < {MinBallotsShown})"
            : participation < appraisal.MinParticipation
                ? $"participation {Percent(participation)} ({ballots} of {eligible}) < {Percent(appraisal.MinParticipation)}"
                : null;
        var result = new AppraisalResult(ballots, eligible, participation, invalid is null) { Invalid = invalid };
        if (ballots < MinBallotsShown) return result;
        decimal sum = appraisal.Choices.Sum(c => c.Value * counts.GetValueOrDefault(c.Id));
        return result with
        {
            ValueSum = sum,
            Satisfaction = Math.Round(sum / (100m * ballots), 4, MidpointRounding.AwayFromZero),
            Counts = [.. appraisal.Choices.Select(c => new ChoiceCount(c.Id, c.Title, counts.GetValueOrDefault(c.Id)))],
        };
    }

    /// <summary>The history's and the audit chain's line: counts, never ballots.</summary>
    [JsonIgnore]
    public string Detail =>
        $"{Ballots} of {Eligible} voted ({Percent(Participation)})"
        + (Satisfaction is { } s ? $"; satisfaction {Percent(s)}: {string.Join(", ", (Counts ?? []).Select(c => $"{c.Title} {c.Count}"))}"
            : "; too few to show")
        + (Invalid is { } why ? $"; not valid: {why}" : "");

    /// <summary>A share as a percentage with 2 decimals (0.6667 → 66.67%).</summary>
    public static string Percent(decimal share) => (share * 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + "%";
}

/// <summary>How many ballots chose one choice.</summary>
public sealed record ChoiceCount(string Choice, string Title, int Count);

/// <summary>The appraisal's mean as a sum over a count, so the score can take it exactly (a third stays a third).</summary>
public sealed record AppraisalMean(decimal Sum, int Count)
{
    /// <summary>A value given directly (0 to 100), as one ballot of it.</summary>
    public static implicit operator AppraisalMean(decimal value) => new(value, 1);

    public decimal Value => Sum / Count;
}
