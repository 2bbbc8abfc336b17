using Eval.Workflows.Activities;
using Eval.Workflows.Orchestrations;
using Microsoft.DurableTask;

namespace Eval.Workflows;

/// <summary>
/// The single registry of orchestrations and activities. The local runtime and the tests register exactly
/// these; a test checks that the Functions app declares a trigger for each name and no other.
/// </summary>
public static class WorkflowCatalog
{
    public static readonly IReadOnlyDictionary<string, Type> Orchestrators = new Dictionary<string, Type>
    {
        [TaskNames.SelfTestOrchestrator] = typeof(SelfTestOrchestrator),
        [TaskNames.EvaluationOrchestrator] = typeof(EvaluationOrchestrator),
        [TaskNames.CampaignOrchestrator] = typeof(CampaignOrchestrator),
        [TaskNames.OutboxSweepOrchestrator] = typeof(OutboxSweepOrchestrator),
        [TaskNames.HonourChangeOrchestrator] = typeof(HonourChangeOrchestrator),
        [TaskNames.HistoryPurgeOrchestrator] = typeof(HistoryPurgeOrchestrator),
    };

    public static readonly IReadOnlyDictionary<string, Type> Activities = new Dictionary<string, Type>
    {
        [TaskNames.RecordSelfTest] = typeof(RecordSelfTestActivity),
        [TaskNames.RecordEvaluation] = typeof(RecordEvaluationActivity),
        [TaskNames.PrepareEvaluations] = typeof(PrepareEvaluationsActivity),
        [TaskNames.StartEvaluationGroup] = typeof(StartEvaluationGroupActivity),
        [TaskNames.FinishStart] = typeof(FinishStartActivity),
        [TaskNames.CloseUnfinishedEvaluations] = typeof(CloseUnfinishedEvaluationsActivity),
        [TaskNames.CountUnfinishedEvaluations] = typeof(CountUnfinishedEvaluationsActivity),
        [TaskNames.ProposeRatings] = typeof(ProposeRatingsActivity),
        [TaskNames.CloseNotice] = typeof(CloseNoticeActivity),
        [TaskNames.PublishRatings] = typeof(PublishRatingsActivity),
        [TaskNames.RevokeUpheldRatings] = typeof(RevokeUpheldRatingsActivity),
        [TaskNames.RelayAcceptedActions] = typeof(RelayAcceptedActionsActivity),
        [TaskNames.FindAcceptedAction] = typeof(FindAcceptedActionActivity),
        [TaskNames.FindExtension] = typeof(FindExtensionActivity),
        [TaskNames.CloseAppraisal] = typeof(CloseAppraisalActivity),
        [TaskNames.SupersedeHonours] = typeof(SupersedeHonoursActivity),
        [TaskNames.SignStatement] = typeof(SignStatementActivity),
        [TaskNames.ReadHonourChange] = typeof(ReadHonourChangeActivity),
        [TaskNames.MarkHonourChange] = typeof(MarkHonourChangeActivity),
        [TaskNames.ApplyHonourChange] = typeof(ApplyHonourChangeActivity),
        [TaskNames.StartHistoryPurge] = typeof(StartHistoryPurgeActivity),
        [TaskNames.PurgeHistory] = typeof(PurgeHistoryActivity),
    };

    public static DurableTaskRegistry AddEvalWorkflows(this DurableTaskRegistry registry)
    {
        foreach ((string name, Type type) in Orchestrators) registry.AddOrchestrator(new TaskName(name), type);
        foreach ((string name, Type type) in Activities) registry.AddActivity(new TaskName(name), type);
        return registry;
    }
}
