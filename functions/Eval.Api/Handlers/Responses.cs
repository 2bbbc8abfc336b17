namespace Eval.Api.Handlers;

// The bodies the handlers answer commands with, as named types so that the API description is generated from what
// the handlers really return (the route tables declare them with .Produces<T>). What queries answer with (the views,
// lists and pages) is the application's, beside each query (Eval.Application). Serialized with the web defaults
// (camelCase names, nulls written).

/// <summary>GET /api/health when storage and the task hub both answered.</summary>
public sealed record HealthView(string Status, IReadOnlyDictionary<string, HealthHandler.Check> Checks);

/// <summary>202 for a campaign start: its evaluation workflows are being created.</summary>
public sealed record CampaignStarted(string Id, string Status);

/// <summary>202 for a publication request: the campaign's workflow ranks and opens the notice.</summary>
public sealed record PublicationAccepted(string Id, bool Force);

/// <summary>202 for a self-assessment, township review or county score: queued for the evaluation's workflow.</summary>
public sealed record StepAccepted(string CampaignId, string BranchId, bool Accepted);

/// <summary>202 for a filed objection.</summary>
public sealed record ObjectionAccepted(string Id, string Status);

/// <summary>A resolved objection.</summary>
public sealed record ObjectionResolutionView(string Id, string BranchId, string Status, string? Comment, DateTimeOffset? ResolvedAt);

/// <summary>One finding for many objections: those it resolved, and those it found resolved already (left as they were).</summary>
public sealed record ObjectionResolutionsView(string CampaignId, IReadOnlyList<ObjectionResolutionView> Resolved,
    IReadOnlyList<ObjectionResolutionView> AlreadyResolved);

/// <summary>How many units a PUT /api/units wrote.</summary>
public sealed record UnitsUpserted(int Upserted);

/// <summary>202 for a started self-test.</summary>
public sealed record SelfTestStarted(string Id, DateTimeOffset Deadline);

/// <summary>202 for a proposed change of an honour: its workflow waits for the organization department's decision.</summary>
public sealed record HonourChangeAccepted(string ChangeId, string Status, DateTimeOffset DecisionDue);

/// <summary>202 for a decision on a change: stored, and taken in by the change's workflow.</summary>
public sealed record HonourChangeDecisionAccepted(string ChangeId, bool Approve, bool Notice, DateTimeOffset At);

/// <summary>A resolved objection to a change of an honour.</summary>
public sealed record HonourChangeObjectionResolved(string Id, string ChangeId, string Status, string? Comment, DateTimeOffset? ResolvedAt);
