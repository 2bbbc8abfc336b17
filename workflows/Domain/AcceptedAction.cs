using System.Text.Json.Serialization;

namespace Eval.Workflows.Domain;

/// <summary>
/// An action the API accepted, kept in the evaluation's record (its outbox) with the event that carries it to the
/// workflow. It is written in the same conditional write as the action's claim, before the event is raised; so when the
/// raise fails, or the process dies right after the claim, the accepted action is not lost: the event is raised again
/// from here, by a repeat of the request, by the campaign's outbox sweep, or by the workflow itself at the
/// self-assessment deadline. Raising again is safe: the workflow ignores an event it has taken in already (it checks
/// the round and the scorer). An entry is settled once the record shows its action taken in, or no longer possible,
/// and the record's next write drops it. Exactly one of the three events is set.
/// </summary>
/// <param name="Claim">The claim entry written with it (see <see cref="EvaluationRecord.Claims"/>).</param>
public sealed record AcceptedAction(string Claim, SelfAssessmentSubmitted? SelfAssessment = null, TownshipReviewed? Review = null, CountyScored? Score = null)
{
    public static AcceptedAction Of(string claim, SelfAssessmentSubmitted e) => new(claim, SelfAssessment: e);

    public static AcceptedAction Of(string claim, TownshipReviewed e) => new(claim, Review: e);

    public static AcceptedAction Of(string claim, CountyScored e) => new(claim, Score: e);

    /// <summary>The event's name, one of <see cref="EvaluationEvents"/>.</summary>
    [JsonIgnore]
    public string Event =>
        SelfAssessment is not null ? EvaluationEvents.SelfAssessmentSubmitted
        : Review is not null ? EvaluationEvents.TownshipReviewed
        : Score is not null ? EvaluationEvents.CountyScored
        : throw new InvalidOperationException($"The accepted action '{Claim}' holds no event.");

    [JsonIgnore]
    public int Round => SelfAssessment?.Round ?? Review?.Round ?? Score!.Round;

    /// <summary>When the API accepted it; the event carries this time.</summary>
    [JsonIgnore]
    public DateTimeOffset At => SelfAssessment?.At ?? Review?.At ?? Score!.At;

    /// <summary>The typed event, as the workflow awaits it.</summary>
    public object ToEvent() => (object?)SelfAssessment ?? (object?)Review ?? Score ?? throw new InvalidOperationException($"The accepted action '{Claim}' holds no event.");

    /// <summary>Whether <paramref name="record"/> has taken this action in, or is past the point where it could.</summary>
    public bool IsSettledIn(EvaluationRecord record) =>
        SelfAssessment is not null ? !(record.Stage == Stages.AwaitingSelfAssessment && record.Round == Round)
        : Review is not null ? !(record.Stage == Stages.AwaitingTownshipReview && record.Round == Round)
        : Score is null || !(record.Stage == Stages.AwaitingCountyScore && record.Round == Round && record.Scores.All(s => s.By.Id != Score.By.Id));
}
