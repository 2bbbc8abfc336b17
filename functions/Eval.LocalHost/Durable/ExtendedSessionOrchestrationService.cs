using System.Collections.Concurrent;
using System.Threading.Channels;
using DurableTask.Core;

namespace Eval.LocalHost.Durable;

/// <summary>
/// Extended sessions for the sidecar, the way DurableTask.Core's own dispatcher runs them (and Durable Functions with
/// <c>extendedSessionsEnabled</c>). Without them the Azure Storage provider reads an orchestration's whole history
/// from the History table before every episode, and on Azurite each such query scans the entire table. An evaluation
/// mostly runs in pairs of episodes seconds apart (an event, then the result of the activity it scheduled), so after
/// an episode its session — the history already in memory — is kept for a short idle time: messages for that
/// instance that arrive meanwhile are handed back to the dispatcher as the next work item, without a history read.
/// The sidecar's dispatcher has no such loop, so this wrapper runs it around the provider's
/// <see cref="IOrchestrationSession"/> (the provider must have ExtendedSessionsEnabled).
/// </summary>
public sealed class ExtendedSessionOrchestrationService(IOrchestrationService inner, int maxIdleSessions, ILogger log)
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

    public override async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(
        TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        // A fetch that has completed goes first: while sessions keep resuming, it would otherwise wait (new instances,
        // timers, events for instances without a session) until its messages outlived their visibility timeout.
        if (pendingFetch is { IsCompleted: true } done)
        {
            pendingFetch = null;
            return await done;
        }
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
        bool running = workItem.OrchestrationRuntimeState?.OrchestrationStatus
            is OrchestrationStatus.Running or OrchestrationStatus.Pending;
        if (workItem.Session is null || failed || !running) return Inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);
        if (Interlocked.Increment(ref idleSessions) > maxIdleSessions)
        {
            Interlocked.Decrement(ref idleSessions);
            return Inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);
        }
        _ = KeepAsync(workItem);
        return Task.CompletedTask;
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
