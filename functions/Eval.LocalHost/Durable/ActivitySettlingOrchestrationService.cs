using DurableTask.Core;

namespace Eval.LocalHost.Durable;

/// <summary>
/// Abandons an activity work item until storage takes the abandon. The Azure Storage provider keeps each activity
/// message it hands out in its own bookkeeping until the work item is completed or abandoned, and forgets it only
/// when that call succeeds. When the queue service is down, the sidecar's completion fails, then its abandon, and
/// the provider kept the entry: each later delivery of the message was refused as "processed multiple times
/// concurrently", so the activity never ran again until the process restarted (an outbox relay stalled so in the
/// queue-outage test). Retrying the abandon (a message already gone counts as done) lets the message come back.
/// </summary>
public sealed class ActivitySettlingOrchestrationService(
    IOrchestrationService inner, ILogger log, TimeSpan firstDelay, TimeSpan longestDelay)
    : DelegatingOrchestrationService(inner)
{
    readonly CancellationTokenSource stopping = new();

    public ActivitySettlingOrchestrationService(IOrchestrationService inner, ILogger log)
        : this(inner, log, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)) { }

    public override async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        TimeSpan delay = firstDelay;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await Inner.AbandonTaskActivityWorkItemAsync(workItem);
                if (attempt > 1) log.LogInformation("Abandoned activity work item {WorkItemId} at attempt {Attempt}", workItem.Id, attempt);
                return;
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return; // stopping, as below; an attempt can fail while the stop comes in
            }
            catch (Exception e)
            {
                log.LogWarning("Could not abandon activity work item {WorkItemId} (attempt {Attempt}: {Error}); trying again in {Delay}",
                    workItem.Id, attempt, e.GetBaseException().Message, delay);
            }
            try { await Task.Delay(delay, stopping.Token); }
            catch (OperationCanceledException) { return; } // stopping: the process's bookkeeping goes with it
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, longestDelay.Ticks));
        }
    }

    public override Task StopAsync(bool isForced)
    {
        stopping.Cancel();
        return base.StopAsync(isForced);
    }
}
