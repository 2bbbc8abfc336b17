namespace Eval.Workflows.Domain;

/// <summary>A campaign's outbox sweep: its interval is fixed when the sweep starts, so every replay waits the same.</summary>
public sealed record OutboxSweepInput(string CampaignId, TimeSpan Interval);

/// <summary>What one pass of the sweep did, and whether the campaign still has evaluations that can take actions in.</summary>
public sealed record OutboxSweepResult(int Raised, bool KeepSweeping);

/// <summary>Which accepted action an evaluation's workflow asks its record for.</summary>
public sealed record FindAcceptedActionInput(string CampaignId, string BranchId, string Event, int Round);
