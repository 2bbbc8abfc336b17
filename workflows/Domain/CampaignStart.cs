namespace Eval.Workflows.Domain;

/// <summary>Start the evaluations of the branches under one unit (a township).</summary>
public sealed record StartEvaluationGroupInput(string CampaignId, string UnitId);

/// <summary>How many evaluations are still pending; once none is, how many branches the campaign runs.</summary>
public sealed record StartProgress(int Pending, int? Branches);
