using DurableTask.Core;
using DurableTask.Core.History;

namespace Eval.LocalHost.Durable;

/// <summary>
/// The Azure Storage provider as the sidecar's dispatcher sees it, minus one hazard of a crash: a process killed after
/// writing an episode's history but before deleting the episode's queue messages leaves them to be delivered again.
/// The sidecar's dispatcher then finds a second ExecutionStarted for the same execution, calls the history corrupt
/// and abandons the work item over and over. A start message for an execution whose history has begun was processed
/// already: it is dropped here (the provider still deletes it with the rest of the batch). Everything else passes through.
/// </summary>
public sealed class DeduplicatingOrchestrationService(IOrchestrationService inner, ILogger log) : DelegatingOrchestrationService(inner)
{
    public override async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(
        TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        TaskOrchestrationWorkItem workItem = await Inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
        string? started = workItem?.OrchestrationRuntimeState?.ExecutionStartedEvent?.OrchestrationInstance?.ExecutionId;
        if (workItem?.NewMessages is null || started is null) return workItem!;
        int removed = 0;
        for (int i = workItem.NewMessages.Count - 1; i >= 0; i--)
        {
            if (workItem.NewMessages[i].Event is ExecutionStartedEvent e && e.OrchestrationInstance?.ExecutionId == started)
            {
                workItem.NewMessages.RemoveAt(i);
                removed++;
            }
        }
        if (removed > 0)
            log.LogWarning("Dropped {Count} redelivered start message(s) for {InstanceId}: its history already holds that start",
                removed, workItem.InstanceId);
        return workItem;
    }
}
