namespace Eval.Workflows.Domain;

public static class Stages
{
    public const string AwaitingSelfAssessment = "awaiting-self-assessment";
    public const string AwaitingTownshipReview = "awaiting-township-review";
    public const string AwaitingCountyScore = "awaiting-county-score";
    /// <summary>Scored, waiting for the members' appraisal (民主测评) to close: the score takes its result.</summary>
    public const string AwaitingAppraisal = "awaiting-appraisal";
    public const string Done = "done";

    public static readonly IReadOnlyList<string> All =
        [AwaitingSelfAssessment, AwaitingTownshipReview, AwaitingCountyScore, AwaitingAppraisal, Done];
}

public static class Outcomes
{
    public const string Scored = "scored";
    public const string NotSubmitted = "not-submitted";
    public const string Rejected = "rejected";
    public const string Vetoed = "vetoed";
    public const string NotEvaluated = "not-evaluated";
}

public static class ReviewDecisions
{
    public const string Approve = "approve";
    public const string Return = "return";
    public const string Reject = "reject";
}

/// <summary>
/// One item of a self-assessment's evidence: a link (<see cref="Url"/> with a <see cref="Title"/>) or an uploaded file
/// (<see cref="EvidenceId"/>), whose title and <see cref="File"/> (hash included) the API fills in when it accepts it.
/// </summary>
public sealed record Evidence(string Criterion, string? Title, string? Url, string? EvidenceId = null, EvidenceFileRef? File = null);

/// <summary>Who did something: the token's subject, name and the role they acted in.</summary>
public sealed record Actor(string Id, string Name, string Role);
