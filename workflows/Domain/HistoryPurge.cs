namespace Eval.Workflows.Domain;

/// <summary>
/// A published campaign's history purge: its instances' Durable Task history is purged once <paramref name="PurgeAt"/> passes.
/// </summary>
public sealed record HistoryPurgeInput(string CampaignId, DateTimeOffset PurgeAt);

/// <summary>Start the purge of a campaign published at <paramref name="PublishedAt"/>.</summary>
public sealed record StartHistoryPurgeInput(string CampaignId, DateTimeOffset PublishedAt);

/// <summary>One chunk of a purge: the evaluations after branch <paramref name="After"/> (null: from the first).</summary>
public sealed record PurgeHistoryInput(string CampaignId, string? After);

/// <summary>How many instances a chunk purged, and the branch to go on after (null: the campaign's own instances are done too).</summary>
public sealed record PurgeHistoryResult(int Purged, string? Next);
