namespace Eval.Workflows;

/// <summary>The orchestration and activity names, shared by the Functions app and the local runtime.</summary>
public static class TaskNames
{
    public const string SelfTestOrchestrator = nameof(Orchestrations.SelfTestOrchestrator);
    public const string RecordSelfTest = nameof(Activities.RecordSelfTestActivity);
}
