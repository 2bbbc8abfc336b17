using System.Collections.Concurrent;
using Eval.Workflows;
using Eval.Workflows.Domain;
using Eval.Workflows.Orchestrations;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;

namespace Eval.UnitTests.Workflows;

/// <summary>The self-test orchestrator on the in-process engine, with its one activity replaced by a recorder.</summary>
public sealed class SelfTestOrchestratorTests : IAsyncLifetime
{
    readonly ConcurrentQueue<SelfTestRecord> recorded = new();
    DurableTaskTestHost host = null!;

    public async Task InitializeAsync() => host = await DurableTaskTestHost.StartAsync(r =>
    {
        r.AddOrchestrator<SelfTestOrchestrator>();
        r.AddActivityFunc<SelfTestRecord, bool>(TaskNames.RecordSelfTest, (_, record) => { recorded.Enqueue(record); return true; });
    }, InProcessHosts.Options());

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Confirmation_before_the_deadline_records_waiting_then_confirmed()
    {
        var input = new SelfTestInput("st-1", DateTimeOffset.UtcNow.AddMinutes(10), "alice");
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(TaskNames.SelfTestOrchestrator, input);
        await WaitForCustomStatus(id, SelfTestStatus.Waiting);
        await host.Client.RaiseEventAsync(id, SelfTestOrchestrator.ConfirmedEvent, new SelfTestConfirmation("bob"));

        OrchestrationMetadata done = await Complete(id);
        SelfTestRecord result = done.ReadOutputAs<SelfTestRecord>()!;
        Assert.Equal(SelfTestStatus.Confirmed, result.Status);
        Assert.Equal("bob", result.ConfirmedBy);
        Assert.Equal("alice", result.RequestedBy);
        Assert.Equal([SelfTestStatus.Waiting, SelfTestStatus.Confirmed], recorded.Select(r => r.Status));
    }

    [Fact]
    public async Task No_confirmation_ends_expired_when_the_durable_timer_fires()
    {
        var input = new SelfTestInput("st-2", DateTimeOffset.UtcNow.AddSeconds(1), "alice");
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(TaskNames.SelfTestOrchestrator, input);

        SelfTestRecord result = (await Complete(id)).ReadOutputAs<SelfTestRecord>()!;
        Assert.Equal(SelfTestStatus.Expired, result.Status);
        Assert.Null(result.ConfirmedBy);
        Assert.True(result.At >= input.Deadline, $"expired at {result.At:O}, before the deadline {input.Deadline:O}");
        Assert.Equal([SelfTestStatus.Waiting, SelfTestStatus.Expired], recorded.Select(r => r.Status));
    }

    [Fact]
    public async Task A_confirmation_after_expiry_changes_nothing()
    {
        var input = new SelfTestInput("st-3", DateTimeOffset.UtcNow.AddSeconds(1), "alice");
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(TaskNames.SelfTestOrchestrator, input);
        OrchestrationMetadata done = await Complete(id);
        await host.Client.RaiseEventAsync(id, SelfTestOrchestrator.ConfirmedEvent, new SelfTestConfirmation("late"));
        await Task.Delay(500);

        OrchestrationMetadata after = (await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true))!;
        Assert.Equal(OrchestrationRuntimeStatus.Completed, after.RuntimeStatus);
        Assert.Equal(done.SerializedOutput, after.SerializedOutput);
        Assert.Equal(2, recorded.Count);
    }

    async Task<OrchestrationMetadata> Complete(string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        OrchestrationMetadata m = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, m.RuntimeStatus);
        return m;
    }

    async Task WaitForCustomStatus(string id, string status)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            OrchestrationMetadata? m = await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true, timeout.Token);
            if (m?.ReadCustomStatusAs<string>() == status) return;
            await Task.Delay(50, timeout.Token);
        }
    }
}
