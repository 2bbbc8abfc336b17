namespace Eval.Workflows.Domain;

/// <summary>
/// The typed events of the human steps, raised by the API into an evaluation's orchestration. Each carries the
/// round it was accepted for, so an event that arrives late (after a return, say) can never count twice.
/// </summary>
public static class EvaluationEvents
{
    public const string SelfAssessmentSubmitted = nameof(Domain.SelfAssessmentSubmitted);
    public const string TownshipReviewed = nameof(Domain.TownshipReviewed);
    public const string CountyScored = nameof(Domain.CountyScored);
    public const string Closed = nameof(EvaluationClosed);
    /// <summary>An urging or a deadline extension (<see cref="Domain.Supervision"/>), taken in from version 3.</summary>
    public const string Supervised = "EvaluationSupervised";
}

/// <summary>
/// Publication was forced while this evaluation was unfinished (it ends not-evaluated), or the organization department
/// recorded a joint veto (<see cref="Veto"/>: it ends vetoed). Every version of the workflow waits for this event at
/// every step, so a veto reaches evaluations started before vetoes existed too.
/// </summary>
public sealed record EvaluationClosed(Actor By, DateTimeOffset At)
{
    public JointVeto? Veto { get; init; }
}

/// <summary>
/// A veto from another department (联审: discipline inspection, public security, safety, …), recorded by the organization
/// department with the department's document reference until publication.
/// </summary>
public sealed record JointVeto(string Department, string DocumentRef, string Reason, Actor By, DateTimeOffset At)
{
    /// <summary>The history's and the audit chain's detail: who vetoed, on what document, why.</summary>
    public string Detail => $"{Department} {DocumentRef}: {Reason}";
}

/// <summary>What one evaluation's orchestration needs to know; fixed when the campaign starts.</summary>
public sealed record EvaluationInput(string CampaignId, string BranchId, DateTimeOffset StartedAt, EvaluationRules Rules)
{
    /// <summary>The version new evaluations start with (see docs/workflows.md, "Versioning").</summary>
    public const int CurrentVersion = 3;

    /// <summary>
    /// Which calls the orchestration makes, fixed at its start, so a running one replays the calls it made before:
    /// 0 (absent in inputs written before versions) is the first; from 1, at a missed self-assessment deadline the
    /// orchestration asks the record's outbox for a self-assessment accepted in time (FindAcceptedAction); from 2, a
    /// campaign's members' appraisal runs beside the stages (its timer, CloseAppraisal, and the wait for it before the score);
    /// from 3, each wait for a step also takes supervision (EvaluationSupervised: an urging is recorded, an extension re-arms
    /// the step's timer) and a missed deadline first asks the record for an extension accepted in time (FindExtension).
    /// </summary>
    public int Version { get; init; }
}

public sealed record EvaluationRules(Rubric Rubric, TimeSpan SelfAssessment, TimeSpan TownshipReview, TimeSpan CountyScoring,
    int MaxReturns, int ScorersPerBranch)
{
    /// <summary>The campaign's members' appraisal (民主测评), if it holds one (read from version 2 on).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public AppraisalDefinition? Appraisal { get; init; }

    /// <summary>The rules of a branch of <paramref name="category"/>: the campaign's, with its category's rubric.</summary>
    public static EvaluationRules From(CampaignDefinition c, string? category = null) => new(c.RubricFor(category),
        IsoDuration.Parse(c.Schedule.SelfAssessment), IsoDuration.Parse(c.Schedule.TownshipReview),
        IsoDuration.Parse(c.Schedule.CountyScoring), c.MaxReturns, c.ScorersPerBranch)
    {
        Appraisal = c.Appraisal,
    };
}

/// <summary>What CloseAppraisalActivity seals and counts: one branch's ballots, by the campaign's appraisal.</summary>
public sealed record CloseAppraisalInput(string CampaignId, string BranchId, AppraisalDefinition Appraisal);

public sealed record EvaluationResult(string Outcome, decimal? FinalScore, decimal? UnityShare);

public static class SystemActor
{
    public static readonly Actor Instance = new("system", "Eval", "system");
}

/// <summary>Deterministic orchestration instance ids: one per campaign, one per branch in it.</summary>
public static class InstanceIds
{
    public static string Campaign(string campaignId) => $"campaign-{campaignId}";
    public static string Evaluation(string campaignId, string branchId) => $"evaluation-{campaignId}-{branchId}";
    public static string OutboxSweep(string campaignId) => $"outbox-{campaignId}";
    public static string HistoryPurge(string campaignId) => $"purge-{campaignId}";
}
