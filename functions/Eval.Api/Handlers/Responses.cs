using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.Api.Handlers;

// The bodies the handlers answer with, as named types so that the API description is generated from what the
// handlers really return (the local host declares them with .Produces<T>). Serialized with the web defaults
// (camelCase names, nulls written), exactly as the anonymous objects they replace were.

/// <summary>GET /api/health when storage and the task hub both answered.</summary>
public sealed record HealthView(string Status, IReadOnlyDictionary<string, HealthHandler.Check> Checks);

/// <summary>A campaign: its definition, status and, when read, its evaluations counted per stage.</summary>
public sealed record CampaignView(string Id, string Title, string Unit, string Status, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt,
    int? BranchCount, DateTimeOffset? PublicationRequestedAt, DateTimeOffset? PublicityEndsAt, DateTimeOffset? PublishedAt,
    CampaignProgress? Evaluations, CampaignDefinition Definition);

/// <summary>A campaign in a list: what it is and where it stands, without its definition or counts.</summary>
public sealed record CampaignSummary(string Id, string Title, string Unit, string Status, DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt, int? BranchCount, DateTimeOffset? PublicityEndsAt, DateTimeOffset? PublishedAt);

/// <summary>The campaigns a caller may see, newest first.</summary>
public sealed record CampaignList(IReadOnlyList<CampaignSummary> Campaigns);

/// <summary>How many of a campaign's evaluations are at each stage, and how many are overdue.</summary>
public sealed record CampaignProgress(int Total, IReadOnlyDictionary<string, int> Stages, int Overdue);

/// <summary>202 for a campaign start: its evaluation workflows are being created.</summary>
public sealed record CampaignStarted(string Id, string Status);

/// <summary>202 for a publication request: the campaign's workflow ranks and opens the notice.</summary>
public sealed record PublicationAccepted(string Id, bool Force);

/// <summary>202 for a self-assessment, township review or county score: queued for the evaluation's workflow.</summary>
public sealed record StepAccepted(string CampaignId, string BranchId, bool Accepted);

/// <summary>One page of a work queue; pass continuationToken back for the next.</summary>
public sealed record EvaluationPage(IReadOnlyList<EvaluationSummary> Items, string? ContinuationToken);

/// <summary>One evaluation in a work queue.</summary>
public sealed record EvaluationSummary(string BranchId, string BranchName, string Stage, bool Overdue, string? Outcome, decimal? FinalScore,
    decimal? UnityShare, int Round, DateTimeOffset? StageDeadline);

/// <summary>One branch's evaluation with everything submitted and decided so far.</summary>
public sealed record EvaluationView(string CampaignId, string BranchId, string BranchName, string Stage, bool Overdue, string? Outcome,
    decimal? FinalScore, decimal? UnityShare, int Round, DateTimeOffset? StageDeadline, SubmissionEntry? Submission, ReviewEntry? Review,
    IReadOnlyList<ScoreEntry> Scores, IReadOnlyList<HistoryEntry> History);

/// <summary>The ratings list: proposed during the public notice, then published.</summary>
public sealed record RatingsView(string CampaignId, string Status, DateTimeOffset? PublicityEndsAt, DateTimeOffset? PublishedAt,
    IReadOnlyList<RankedBranch> Ratings);

/// <summary>202 for a filed objection.</summary>
public sealed record ObjectionAccepted(string Id, string Status);

/// <summary>An objection as the organization department (or its filer) sees it.</summary>
public sealed record ObjectionView(string Id, string BranchId, string Text, Actor FiledBy, DateTimeOffset FiledAt, string Status,
    string? Comment, Actor? ResolvedBy, DateTimeOffset? ResolvedAt);

/// <summary>A page of a campaign's objections, oldest first; pass continuationToken back for the next.</summary>
public sealed record ObjectionList(string CampaignId, IReadOnlyList<ObjectionView> Objections, string? ContinuationToken);

/// <summary>A resolved objection.</summary>
public sealed record ObjectionResolutionView(string Id, string BranchId, string Status, string? Comment, DateTimeOffset? ResolvedAt);

/// <summary>One finding for many objections: those it resolved, and those it found resolved already (left as they were).</summary>
public sealed record ObjectionResolutionsView(string CampaignId, IReadOnlyList<ObjectionResolutionView> Resolved,
    IReadOnlyList<ObjectionResolutionView> AlreadyResolved);

/// <summary>The result of recomputing a campaign's audit chains.</summary>
public sealed record AuditVerificationView(string CampaignId, bool Intact, int Chains, int Links, AuditBreak? FirstBroken);

/// <summary>How many units a PUT /api/units wrote.</summary>
public sealed record UnitsUpserted(int Upserted);

/// <summary>A unit, its parent's id and its children.</summary>
public sealed record UnitView(string Id, string Name, string Kind, string? Parent, IReadOnlyList<Unit> Children);

/// <summary>202 for a started self-test.</summary>
public sealed record SelfTestStarted(string Id, DateTimeOffset Deadline);

/// <summary>A self-test's row in table SelfTests.</summary>
public sealed record SelfTestView(string Id, string? Status, string? RequestedBy, DateTimeOffset? Deadline,
    string? ConfirmedBy, DateTimeOffset? At);
