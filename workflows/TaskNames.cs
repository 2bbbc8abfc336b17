namespace Eval.Workflows;

/// <summary>The orchestration and activity names, shared by the Functions app and the local runtime.</summary>
public static class TaskNames
{
    public const string SelfTestOrchestrator = nameof(Orchestrations.SelfTestOrchestrator);
    public const string EvaluationOrchestrator = nameof(Orchestrations.EvaluationOrchestrator);
    public const string CampaignOrchestrator = nameof(Orchestrations.CampaignOrchestrator);
    public const string OutboxSweepOrchestrator = nameof(Orchestrations.OutboxSweepOrchestrator);
    public const string HonourChangeOrchestrator = nameof(Orchestrations.HonourChangeOrchestrator);
    public const string HistoryPurgeOrchestrator = nameof(Orchestrations.HistoryPurgeOrchestrator);

    public const string RecordSelfTest = nameof(Activities.RecordSelfTestActivity);
    public const string RecordEvaluation = nameof(Activities.RecordEvaluationActivity);
    public const string PrepareEvaluations = nameof(Activities.PrepareEvaluationsActivity);
    public const string StartEvaluationGroup = nameof(Activities.StartEvaluationGroupActivity);
    public const string FinishStart = nameof(Activities.FinishStartActivity);
    public const string CloseUnfinishedEvaluations = nameof(Activities.CloseUnfinishedEvaluationsActivity);
    public const string CountUnfinishedEvaluations = nameof(Activities.CountUnfinishedEvaluationsActivity);
    public const string ProposeRatings = nameof(Activities.ProposeRatingsActivity);
    public const string CloseNotice = nameof(Activities.CloseNoticeActivity);
    public const string PublishRatings = nameof(Activities.PublishRatingsActivity);
    public const string RevokeUpheldRatings = nameof(Activities.RevokeUpheldRatingsActivity);
    public const string RelayAcceptedActions = nameof(Activities.RelayAcceptedActionsActivity);
    public const string FindAcceptedAction = nameof(Activities.FindAcceptedActionActivity);
    public const string FindExtension = nameof(Activities.FindExtensionActivity);
    public const string CloseAppraisal = nameof(Activities.CloseAppraisalActivity);
    public const string SupersedeHonours = nameof(Activities.SupersedeHonoursActivity);
    public const string SignStatement = nameof(Activities.SignStatementActivity);
    public const string ReadHonourChange = nameof(Activities.ReadHonourChangeActivity);
    public const string MarkHonourChange = nameof(Activities.MarkHonourChangeActivity);
    public const string ApplyHonourChange = nameof(Activities.ApplyHonourChangeActivity);
    public const string StartHistoryPurge = nameof(Activities.StartHistoryPurgeActivity);
    public const string PurgeHistory = nameof(Activities.PurgeHistoryActivity);
}
