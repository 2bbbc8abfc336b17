using Microsoft.DurableTask;

namespace Eval.Workflows.Orchestrations;

/// <summary>
/// One outstanding waiter per event name. A second WaitForExternalEvent for a name that still has a waiter
/// would queue behind it, and the first (abandoned) waiter would swallow the next event; so a waiter is kept
/// until its event has been taken.
/// </summary>
public sealed class EventInbox(TaskOrchestrationContext context)
{
    readonly Dictionary<string, Task> waiting = [];

    public Task<T> Next<T>(string name)
    {
        if (waiting.TryGetValue(name, out Task? task)) return (Task<T>)task;
        Task<T> created = context.WaitForExternalEvent<T>(name);
        waiting[name] = created;
        return created;
    }

    /// <summary>Takes the event that arrived; the next <see cref="Next{T}"/> waits for a new one.</summary>
    public T Take<T>(string name)
    {
        var task = (Task<T>)waiting[name];
        waiting.Remove(name);
        return task.Result;
    }
}
