using DurableTask.Core;
using Eval.LocalHost.Durable;
using Microsoft.Extensions.Logging.Abstractions;

namespace Eval.UnitTests.LocalHost;

/// <summary>An activity work item's abandon is retried until the provider takes it, so the provider forgets the item.</summary>
public sealed class ActivitySettlingOrchestrationServiceTests
{
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task An_abandon_that_fails_while_storage_is_down_is_repeated_until_it_succeeds()
    {
        var provider = new FailingProvider(failures: 2);
        var service = new ActivitySettlingOrchestrationService(provider, NullLogger.Instance, TimeSpan.FromMilliseconds(1),
            TimeSpan.FromMilliseconds(4));
        var workItem = new TaskActivityWorkItem { Id = "m-1" };

        await service.AbandonTaskActivityWorkItemAsync(workItem).WaitAsync(Wait);

        Assert.Equal(3, provider.AbandonCalls);
        Assert.Same(workItem, provider.Abandoned);
    }

    [Fact]
    public async Task A_stop_ends_the_retries_of_an_abandon_that_keeps_failing()
    {
        var provider = new FailingProvider(failures: int.MaxValue);
        var service = new ActivitySettlingOrchestrationService(provider, NullLogger.Instance, TimeSpan.FromMilliseconds(1),
            TimeSpan.FromMilliseconds(4));

        Task abandoning = service.AbandonTaskActivityWorkItemAsync(new TaskActivityWorkItem { Id = "m-2" });
        while (provider.AbandonCalls < 3) await Task.Delay(5);
        Assert.False(abandoning.IsCompleted);
        await service.StopAsync(false);

        await abandoning.WaitAsync(Wait);
        Assert.True(provider.Stopped);
        Assert.Null(provider.Abandoned);
    }

    [Fact]
    public async Task An_attempt_that_fails_as_the_stop_comes_in_ends_the_abandon_without_an_error()
    {
        var provider = new FailingProvider(failures: int.MaxValue);
        var service = new ActivitySettlingOrchestrationService(provider, NullLogger.Instance, TimeSpan.FromMilliseconds(1),
            TimeSpan.FromMilliseconds(4));
        // The stop arrives while the second attempt is in the provider, which then fails.
        provider.DuringCall = call => { if (call == 2) service.StopAsync(false).GetAwaiter().GetResult(); };

        await service.AbandonTaskActivityWorkItemAsync(new TaskActivityWorkItem { Id = "m-3" }).WaitAsync(Wait);

        Assert.Equal(2, provider.AbandonCalls);
        Assert.True(provider.Stopped);
        Assert.Null(provider.Abandoned);
    }

    sealed class FailingProvider(int failures) : DelegatingOrchestrationService(null!)
    {
        int calls;
        public Action<int>? DuringCall { get; set; }
        public int AbandonCalls => Volatile.Read(ref calls);
        public TaskActivityWorkItem? Abandoned { get; private set; }
        public bool Stopped { get; private set; }

        public override Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
        {
            int call = Interlocked.Increment(ref calls);
            DuringCall?.Invoke(call);
            if (call <= failures) return Task.FromException(new InvalidOperationException("queue service unreachable"));
            Abandoned = workItem;
            return Task.CompletedTask;
        }

        public override Task StopAsync(bool isForced)
        {
            Stopped = true;
            return Task.CompletedTask;
        }
    }
}
