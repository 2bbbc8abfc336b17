using System.Text.Json.Serialization;

namespace Eval.Workflows.Domain;

/// <summary>The kinds of supervision (督办) of a waiting step.</summary>
public static class SupervisionKinds
{
    /// <summary>催办: a superior urges whoever the step waits on, with a short message (at most once a day an evaluation).</summary>
    public const string Urge = "urge";
    /// <summary>延期: the organization department, or the county, gives the waiting step a later deadline.</summary>
    public const string Extension = "extension";
}

/// <summary>
/// An urging or a deadline extension the API accepted for the step an evaluation waits for: kept on the evaluation's
/// record (<see cref="SupervisionState.Pending"/>) and raised to its workflow as event <see cref="EvaluationEvents.Supervised"/>,
/// which records it in the history (and so the audit chain); an extension also re-arms the step's timer.
/// </summary>
/// <param name="Id">"sup-" and 32 hex digits: from the request's Idempotency-Key operation when it has one, so a repeat finds it.</param>
/// <param name="Stage">The stage it was accepted for; <paramref name="Round"/> the round.</param>
/// <param name="Text">The urging's message, or the extension's reason.</param>
public sealed record Supervision(string Id, string Kind, string Stage, int Round, Actor By, DateTimeOffset At, string Text)
{
    /// <summary>An extension's new deadline.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>The history's (and the audit chain's) detail.</summary>
    [JsonIgnore]
    public string Detail => Kind == SupervisionKinds.Extension
        ? $"{Stage} round {Round}: deadline {Deadline:O}; {Text}"
        : $"{Stage} round {Round}: {Text}";
}

/// <summary>A supervision kept on the record until its workflow takes it in, with the MAC that binds it (Outbox.OutboxBinding).</summary>
public sealed record PendingSupervision(Supervision Action, string? Mac);

/// <summary>What an evaluation's record keeps of its supervision: the last urging, and what its workflow has not taken in yet.</summary>
public sealed record SupervisionState
{
    /// <summary>When it was last urged: the next urging may come a day later.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? LastUrgedAt { get; init; }

    /// <summary>Accepted, not yet taken in by the workflow; raised again by the outbox's sweep until it is.</summary>
    public IReadOnlyList<PendingSupervision> Pending { get; init; } = [];

    /// <summary>The ids of every supervision accepted (a repeated request finds its own here).</summary>
    public IReadOnlyList<string> Accepted { get; init; } = [];

    /// <summary>The deadline the step has once every pending extension of this stage and round is taken in.</summary>
    public DateTimeOffset? PendingDeadline(string stage, int round) => Pending
        .Where(p => p.Action.Kind == SupervisionKinds.Extension && p.Action.Stage == stage && p.Action.Round == round)
        .Select(p => p.Action.Deadline).Max();
}

/// <summary>
/// Who supervises which step: who may urge it (the roles above the one it waits on, in scope of the branch) and who may
/// extend its deadline (the organization department; the county scorer for the steps below the county's own).
/// </summary>
public static class SupervisionRules
{
    /// <summary>The roles that may urge the step of <paramref name="stage"/>, in scope of the branch.</summary>
    public static IReadOnlyList<string> MayUrge(string stage) => stage switch
    {
        Stages.AwaitingSelfAssessment => [Roles.TownshipReviewer, Roles.CountyScorer, Roles.OrgDepartment],
        Stages.AwaitingTownshipReview => [Roles.CountyScorer, Roles.OrgDepartment],
        Stages.AwaitingCountyScore => [Roles.OrgDepartment],
        _ => [],
    };

    /// <summary>The roles that may extend the deadline of the step of <paramref name="stage"/>, in scope of the branch.</summary>
    public static IReadOnlyList<string> MayExtend(string stage) => stage switch
    {
        Stages.AwaitingSelfAssessment or Stages.AwaitingTownshipReview => [Roles.OrgDepartment, Roles.CountyScorer],
        Stages.AwaitingCountyScore => [Roles.OrgDepartment],
        _ => [],
    };

    /// <summary>The stages whose step people take (and so may be urged, extended and reminded of).</summary>
    public static bool IsWaitingStep(string stage) =>
        stage is Stages.AwaitingSelfAssessment or Stages.AwaitingTownshipReview or Stages.AwaitingCountyScore;

    /// <summary>An evaluation may be urged again this long after its last urging.</summary>
    public static readonly TimeSpan UrgeInterval = TimeSpan.FromDays(1);

    /// <summary>The first version of the evaluation's workflow that takes supervision in (EvaluationInput.Version).</summary>
    public const int FromVersion = 3;
}
