using DurableTask.Core;
using DurableTask.Core.History;
using Eval.LocalHost.Durable;
using Microsoft.Extensions.Logging.Abstractions;

namespace Eval.UnitTests.LocalHost;

/// <summary>
/// The sidecar's extended-session loop against a scripted provider: what it hands the dispatcher, what it gives back
/// to the provider, and that no work item the provider returns is lost in the race with a resumed session.
/// </summary>
public sealed class ExtendedSessionOrchestrationServiceTests
{
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Messages_that_reach_a_kept_session_come_back_as_the_next_work_item_with_the_last_episode_as_history()
    {
        var (provider, service, session, first) = await KeptSessionAsync("i-1", episode: state =>
        {
            state.AddEvent(new OrchestratorStartedEvent(-1));
            state.AddEvent(new TaskScheduledEvent(0, "Record"));
        });
        Assert.Empty(provider.Released);
        Assert.Equal(1, service.IdleSessions);

        var completed = new TaskMessage
        {
            Event = new TaskCompletedEvent(-1, 0, "true"),
            OrchestrationInstance = first.OrchestrationRuntimeState.OrchestrationInstance,
        };
        session.Deliver([completed]);
        TaskOrchestrationWorkItem resumed =
            await service.LockNextTaskOrchestrationWorkItemAsync(Wait, CancellationToken.None).WaitAsync(Wait);

        Assert.Same(first, resumed);
        Assert.Equal([completed], resumed.NewMessages);
        Assert.Empty(resumed.OrchestrationRuntimeState.NewEvents);
        Assert.Equal(resumed.OrchestrationRuntimeState.Events, resumed.OrchestrationRuntimeState.PastEvents);
        Assert.Equal(1, service.ResumedEpisodes);
        Assert.Equal(0, service.IdleSessions);
    }

    [Fact]
    public async Task A_provider_fetch_that_loses_the_race_to_a_resumed_session_is_returned_by_the_next_call()
    {
        var (provider, service, session, kept) = await KeptSessionAsync("kept");

        var slowFetch = new TaskCompletionSource<TaskOrchestrationWorkItem>();
        provider.Fetches.Enqueue(slowFetch.Task);
        Task<TaskOrchestrationWorkItem> waiting = service.LockNextTaskOrchestrationWorkItemAsync(Wait, CancellationToken.None);
        session.Deliver([new TaskMessage
        {
            Event = new EventRaisedEvent(-1, "\"x\"") { Name = "go" },
            OrchestrationInstance = kept.OrchestrationRuntimeState.OrchestrationInstance,
        }]);
        Assert.Same(kept, await waiting.WaitAsync(Wait));

        TaskOrchestrationWorkItem other = RunningWorkItem("other", new ScriptedSession());
        slowFetch.SetResult(other);
        Assert.Same(other, await service.LockNextTaskOrchestrationWorkItemAsync(Wait, CancellationToken.None).WaitAsync(Wait));
        Assert.Equal(2, provider.FetchCalls);
    }

    [Fact]
    public async Task A_completed_provider_fetch_is_not_starved_by_sessions_that_keep_resuming()
    {
        var provider = new ScriptedProvider();
        var service = new ExtendedSessionOrchestrationService(provider, maxIdleSessions: 10, NullLogger.Instance);
        var sessions = new List<(ScriptedSession Session, TaskOrchestrationWorkItem Item)>();
        foreach (string id in new[] { "kept-1", "kept-2" })
        {
            var session = new ScriptedSession();
            TaskOrchestrationWorkItem item = RunningWorkItem(id, session);
            provider.Fetches.Enqueue(Task.FromResult(item));
            Assert.Same(item, await service.LockNextTaskOrchestrationWorkItemAsync(Wait, CancellationToken.None));
            await service.ReleaseTaskOrchestrationWorkItemAsync(item);
            sessions.Add((session, item));
        }

        // A fetch is under way when the first session resumes; it then completes while the second resumes too.
        var slowFetch = new TaskCompletionSource<TaskOrchestrationWorkItem>();
        provider.Fetches.Enqueue(slowFetch.Task);
        Task<TaskOrchestrationWorkItem> waiting = service.LockNextTaskOrchestrationWorkItemAsync(Wait, CancellationToken.None);
        sessions[0].Session.Deliver([Raised(sessions[0].Item)]);
        Assert.Same(sessions[0].Item, await waiting.WaitAsync(Wait));
        TaskOrchestrationWorkItem other = RunningWorkItem("other", new ScriptedSession());
        slowFetch.SetResult(other);
        sessions[1].Session.Deliver([Raised(sessions[1].Item)]);
        await Task.Delay(100); // the second session's messages are in: both are ready

        Assert.Same(other, await service.LockNextTaskOrchestrationWorkItemAsync(Wait, CancellationToken.None).WaitAsync(Wait));
        Assert.Same(sessions[1].Item, await service.LockNextTaskOrchestrationWorkItemAsync(Wait, CancellationToken.None).WaitAsync(Wait));
    }

    static TaskMessage Raised(TaskOrchestrationWorkItem item) =>
        new()
        {
            Event = new EventRaisedEvent(-1, "\"x\"") { Name = "go" },
            OrchestrationInstance = item.OrchestrationRuntimeState.OrchestrationInstance,
        };

    [Fact]
    public async Task A_session_that_stays_idle_is_released_to_the_provider()
    {
        var (provider, service, session, item) = await KeptSessionAsync("idle");
        Assert.Empty(provider.Released);
        session.Deliver(null);

        Assert.Same(item, await provider.NextReleased.WaitAsync(Wait));
        Assert.True(session.Ended);
        Assert.Equal(0, service.IdleSessions);
        Assert.Equal(0, service.ResumedEpisodes);
    }

    [Fact]
    public async Task Finished_abandoned_and_sessionless_work_items_and_those_past_the_cap_are_released_at_once()
    {
        var provider = new ScriptedProvider();
        var service = new ExtendedSessionOrchestrationService(provider, maxIdleSessions: 1, NullLogger.Instance);

        TaskOrchestrationWorkItem completed = RunningWorkItem("done", new ScriptedSession());
        completed.OrchestrationRuntimeState.AddEvent(new ExecutionCompletedEvent(1, "\"ok\"", OrchestrationStatus.Completed));
        TaskOrchestrationWorkItem abandoned = RunningWorkItem("failed", new ScriptedSession());
        TaskOrchestrationWorkItem sessionless = RunningWorkItem("plain", null);
        TaskOrchestrationWorkItem keptFirst = RunningWorkItem("kept", new ScriptedSession());
        TaskOrchestrationWorkItem overCap = RunningWorkItem("over-cap", new ScriptedSession());

        await service.ReleaseTaskOrchestrationWorkItemAsync(completed);
        await service.AbandonTaskOrchestrationWorkItemAsync(abandoned);
        await service.ReleaseTaskOrchestrationWorkItemAsync(abandoned);
        await service.ReleaseTaskOrchestrationWorkItemAsync(sessionless);
        await service.ReleaseTaskOrchestrationWorkItemAsync(keptFirst);
        await service.ReleaseTaskOrchestrationWorkItemAsync(overCap);

        Assert.Equal(["done", "failed", "plain", "over-cap"], provider.Released.Select(w => w.InstanceId));
        Assert.Equal([abandoned], provider.Abandoned);
        Assert.Equal(1, service.IdleSessions);
    }

    /// <summary>A work item fetched through the service, run (<paramref name="episode"/>) and released, so its session is kept.</summary>
    static async Task<(ScriptedProvider, ExtendedSessionOrchestrationService, ScriptedSession, TaskOrchestrationWorkItem)> KeptSessionAsync(
        string instanceId, Action<OrchestrationRuntimeState>? episode = null)
    {
        var provider = new ScriptedProvider();
        var service = new ExtendedSessionOrchestrationService(provider, maxIdleSessions: 10, NullLogger.Instance);
        var session = new ScriptedSession();
        TaskOrchestrationWorkItem item = RunningWorkItem(instanceId, session);
        provider.Fetches.Enqueue(Task.FromResult(item));
        Assert.Same(item, await service.LockNextTaskOrchestrationWorkItemAsync(Wait, CancellationToken.None));
        episode?.Invoke(item.OrchestrationRuntimeState);
        await service.ReleaseTaskOrchestrationWorkItemAsync(item);
        return (provider, service, session, item);
    }

    static TaskOrchestrationWorkItem RunningWorkItem(string instanceId, IOrchestrationSession? session)
    {
        var instance = new OrchestrationInstance { InstanceId = instanceId, ExecutionId = "e-" + instanceId };
        var state = new OrchestrationRuntimeState(
            [new ExecutionStartedEvent(-1, "null") { Name = "Evaluation", OrchestrationInstance = instance }]);
        return new TaskOrchestrationWorkItem
        {
            InstanceId = instanceId, OrchestrationRuntimeState = state, Session = session, NewMessages = [],
        };
    }

    /// <summary>The provider's session: FetchNewOrchestrationMessagesAsync waits until the test delivers (null = idle timeout).</summary>
    sealed class ScriptedSession : IOrchestrationSession
    {
        readonly TaskCompletionSource<IList<TaskMessage>?> next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public void Deliver(IList<TaskMessage>? messages) => next.SetResult(messages);
        public bool Ended { get; private set; }
        public Task<IList<TaskMessage>?> FetchNewOrchestrationMessagesAsync(TaskOrchestrationWorkItem workItem) => next.Task;
        public Task EndSessionAsync() { Ended = true; return Task.CompletedTask; }
    }

    /// <summary>Only the calls the wrapper makes; the rest would reach a null inner service and fail the test.</summary>
    sealed class ScriptedProvider() : DelegatingOrchestrationService(null!)
    {
        readonly TaskCompletionSource<TaskOrchestrationWorkItem> released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Queue<Task<TaskOrchestrationWorkItem>> Fetches { get; } = new();
        public List<TaskOrchestrationWorkItem> Released { get; } = [];
        public List<TaskOrchestrationWorkItem> Abandoned { get; } = [];
        public int FetchCalls { get; private set; }
        public Task<TaskOrchestrationWorkItem> NextReleased => released.Task;

        public override Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(
            TimeSpan receiveTimeout, CancellationToken cancellationToken)
        {
            FetchCalls++;
            return Fetches.TryDequeue(out var fetch) ? fetch : new TaskCompletionSource<TaskOrchestrationWorkItem>().Task;
        }

        public override Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
        {
            lock (Released) Released.Add(workItem);
            released.TrySetResult(workItem);
            return Task.CompletedTask;
        }

        public override Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
        {
            Abandoned.Add(workItem);
            return Task.CompletedTask;
        }
    }
}
