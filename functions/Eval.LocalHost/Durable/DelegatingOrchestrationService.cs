using DurableTask.Core;

namespace Eval.LocalHost.Durable;

/// <summary>
/// An <see cref="IOrchestrationService"/> that passes every call to another; the sidecar's wrappers override only
/// what they change.
/// </summary>
public abstract class DelegatingOrchestrationService(IOrchestrationService inner) : IOrchestrationService
{
    protected IOrchestrationService Inner { get; } = inner;

    public virtual Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(
        TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        Inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
    public virtual Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) =>
        Inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);
    public virtual Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) =>
        Inner.AbandonTaskOrchestrationWorkItemAsync(workItem);
    public virtual Task StopAsync(bool isForced) => Inner.StopAsync(isForced);

    public int TaskOrchestrationDispatcherCount => Inner.TaskOrchestrationDispatcherCount;
    public int MaxConcurrentTaskOrchestrationWorkItems => Inner.MaxConcurrentTaskOrchestrationWorkItems;
    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => Inner.EventBehaviourForContinueAsNew;
    public int TaskActivityDispatcherCount => Inner.TaskActivityDispatcherCount;
    public int MaxConcurrentTaskActivityWorkItems => Inner.MaxConcurrentTaskActivityWorkItems;
    public Task StartAsync() => Inner.StartAsync();
    public Task StopAsync() => StopAsync(false);
    public Task CreateAsync() => Inner.CreateAsync();
    public Task CreateAsync(bool recreateInstanceStore) => Inner.CreateAsync(recreateInstanceStore);
    public Task CreateIfNotExistsAsync() => Inner.CreateIfNotExistsAsync();
    public Task DeleteAsync() => Inner.DeleteAsync();
    public Task DeleteAsync(bool deleteInstanceStore) => Inner.DeleteAsync(deleteInstanceStore);
    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) =>
        Inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);
    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => Inner.GetDelayInSecondsAfterOnProcessException(exception);
    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => Inner.GetDelayInSecondsAfterOnFetchException(exception);
    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) =>
        Inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);
    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem, OrchestrationRuntimeState newOrchestrationRuntimeState, IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages, IList<TaskMessage> timerMessages, TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState) =>
        Inner.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages,
            timerMessages, continuedAsNewMessage, orchestrationState);
    public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        Inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);
    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) =>
        Inner.RenewTaskActivityWorkItemLockAsync(workItem);
    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) =>
        Inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);
    public virtual Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => Inner.AbandonTaskActivityWorkItemAsync(workItem);
}
