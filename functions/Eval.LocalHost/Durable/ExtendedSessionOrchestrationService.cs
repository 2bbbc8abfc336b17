using System.Collections.Concurrent;
using System.Threading.Channels;
using DurableTask.Core;
using DurableTask.Core.History;

namespace Eval.LocalHost.Durable;

/// <summary>
/// Extended sessions for the sidecar, the way DurableTask.Core's own dispatcher runs them (and Durable Functions with
/// <c>extendedSessionsEnabled</c>). Without them the Azure Storage provider reads an orchestration's whole history
/// from the History table before every episode, and on Azurite each such query scans the entire table. An evaluation
/// mostly runs in pairs of episodes (an event, then the result of the activity it scheduled), so after an episode
/// that left work of its own in flight — an activity, or a timer due within the idle time — its session, the history
/// already in memory, is kept: messages for that instance that arrive meanwhile are handed back to the dispatcher as
/// the next work item, without a history read. An orchestration that waits only for people (an event, a deadline
/// days away) is released at once: its next message is hours away, and keeping it would only hold memory and delay a
/// partition's hand-over to another host. The sidecar's dispatcher has no such loop, so this wrapper runs it around
/// the provider's <see cref="IOrchestrationSession"/> (the provider must have ExtendedSessionsEnabled, whose idle
/// timeout is <paramref name="idleTimeout"/>).
/// </summary>
public sealed class ExtendedSessionOrchestrationService(IOrchestrationService inner, TimeSpan idleTimeout, int maxIdleSessions, ILogger log)
    : DelegatingOrchestrationService(inner)
{
    readonly Channel<TaskOrchestrationWorkItem> resumed = Channel.CreateUnbounded<TaskOrchestrationWorkItem>();
    readonly ConcurrentDictionary<TaskOrchestrationWorkItem, bool> abandoned = new(ReferenceEqualityComparer.Instance);
    // The sidecar fetches from one loop; a fetch from the provider that lost the race to a resumed session is kept
    // for the next call, so no work item it returns is dropped.
    Task<TaskOrchestrationWorkItem>? pendingFetch;
    int idleSessions;
    long resumedEpisodes;

    /// <summary>Episodes that ran on a kept session, i.e. history reads saved.</summary>
    public long ResumedEpisodes => Interlocked.Read(ref resumedEpisodes);

    public int IdleSessions => Volatile.Read(ref idleSessions);

    public override async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        if (resumed.Reader.TryRead(out TaskOrchestrationWorkItem? ready)) return ready;
        pendingFetch ??= Inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
        Task<bool> resumedAvailable = resumed.Reader.WaitToReadAsync(cancellationToken).AsTask();
        if (await Task.WhenAny(pendingFetch, resumedAvailable) == pendingFetch)
        {
            Task<TaskOrchestrationWorkItem> fetched = pendingFetch;
            pendingFetch = null;
            return await fetched;
        }
        // Null tells the dispatcher there is nothing now; it asks again at once.
        return resumed.Reader.TryRead(out ready) ? ready : null!;
    }

    public override Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        abandoned[workItem] = true;
        return Inner.AbandonTaskOrchestrationWorkItemAsync(workItem);
    }

    /// <summary>The dispatcher is done with the episode: keep the session for more messages, or let the provider release it.</summary>
    public override Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        bool failed = abandoned.TryRemove(workItem, out _);
        bool running = workItem.OrchestrationRuntimeState?.OrchestrationStatus is OrchestrationStatus.Running or OrchestrationStatus.Pending;
        if (workItem.Session is null || failed || !running || !AwaitsOwnWork(workItem.OrchestrationRuntimeState!, DateTime.UtcNow + idleTimeout))
            return Inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);
        if (Interlocked.Increment(ref idleSessions) > maxIdleSessions)
        {
            Interlocked.Decrement(ref idleSessions);
            return Inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);
        }
        _ = KeepAsync(workItem);
        return Task.CompletedTask;
    }

    /// <summary>Whether an activity or sub-orchestration it started is unanswered, or a timer of its own fires by <paramref name="keepUntil"/>.</summary>
    public static bool AwaitsOwnWork(OrchestrationRuntimeState state, DateTime keepUntil)
    {
        var open = new HashSet<int>();
        var timers = new Dictionary<int, DateTime>();
        foreach (HistoryEvent e in state.Events)
        {
            switch (e)
            {
                case TaskScheduledEvent s: open.Add(s.EventId); break;
                case TaskCompletedEvent c: open.Remove(c.TaskScheduledId); break;
                case TaskFailedEvent f: open.Remove(f.TaskScheduledId); break;
                case SubOrchestrationInstanceCreatedEvent s: open.Add(s.EventId); break;
                case SubOrchestrationInstanceCompletedEvent c: open.Remove(c.TaskScheduledId); break;
                case SubOrchestrationInstanceFailedEvent f: open.Remove(f.TaskScheduledId); break;
                case TimerCreatedEvent t: timers[t.EventId] = t.FireAt; break;
                case TimerFiredEvent f: timers.Remove(f.TimerId); break;
            }
        }
        return open.Count > 0 || timers.Values.Any(fireAt => fireAt <= keepUntil);
    }

    async Task KeepAsync(TaskOrchestrationWorkItem workItem)
    {
        IList<TaskMessage>? messages = null;
        try
        {
            // Waits up to the provider's ExtendedSessionIdleTimeout (or its shutdown) for messages to this instance.
            messages = await workItem.Session.FetchNewOrchestrationMessagesAsync(workItem);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Extended session of {InstanceId} failed while waiting; releasing it", workItem.InstanceId);
        }
        finally
        {
            Interlocked.Decrement(ref idleSessions);
        }

        if (messages is null || messages.Count == 0)
        {
            try
            {
                await workItem.Session.EndSessionAsync();
                await Inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);
            }
            catch (Exception e) { log.LogWarning(e, "Releasing the session of {InstanceId} failed", workItem.InstanceId); }
            return;
        }

        // What the last episode added is history now; the new messages become the next episode's events.
        OrchestrationRuntimeState state = workItem.OrchestrationRuntimeState;
        foreach (var e in state.NewEvents) state.PastEvents.Add(e);
        state.NewEvents.Clear();
        workItem.NewMessages = messages;
        Interlocked.Increment(ref resumedEpisodes);
        resumed.Writer.TryWrite(workItem);
    }
}
