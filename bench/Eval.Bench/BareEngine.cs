using System.Collections.Concurrent;
using Eval.LocalHost;
using Eval.LocalHost.Durable;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Grpc.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Eval.Bench;

/// <summary>
/// One evaluation's common path without the product: three external events (submit, approve, score), each raced
/// against a durable timer as the real workflow races its deadlines, each followed by one activity call (the real
/// one records the decision), then done. It reports its progress to <see cref="BareProgress"/> in this process, so
/// the driver waits without querying storage (which would load Azurite with the harness's own work).
/// </summary>
public sealed class BareEvaluationOrchestrator : TaskOrchestrator<int, string>
{
    public const int Events = 3;
    public static string EventName(int k) => $"step{k}";

    /// <param name="deadlineMinutes">0: no deadline timers (the `--bare-without-timers` probe).</param>
    public override async Task<string> RunAsync(TaskOrchestrationContext context, int deadlineMinutes)
    {
        DateTime deadline = context.CurrentUtcDateTime.AddMinutes(deadlineMinutes);
        if (!context.IsReplaying) BareProgress.Started[context.InstanceId] = 0;
        context.SetCustomStatus(0);
        for (int k = 0; k < Events; k++)
        {
            Task<int> step = context.WaitForExternalEvent<int>(EventName(k));
            if (deadlineMinutes > 0)
            {
                using var cancelTimer = new CancellationTokenSource();
                Task timer = context.CreateTimer(deadline, cancelTimer.Token);
                if (await Task.WhenAny(step, timer) != step) return "deadline";
                cancelTimer.Cancel();
            }
            await context.CallActivityAsync<int>(nameof(NoOpActivity), await step);
            context.SetCustomStatus(k + 1);
        }
        if (!context.IsReplaying) BareProgress.Completed[context.InstanceId] = 0;
        return "done";
    }
}

/// <summary>Does nothing: the cost measured is the engine's scheduling and bookkeeping of an activity.</summary>
public sealed class NoOpActivity : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int step)
    {
        BareProgress.Handled[step][context.InstanceId] = 0;
        return Task.FromResult(step);
    }
}

/// <summary>
/// What the bare instances have done, by instance id (sets, so a repeated episode or activity counts once):
/// started (first episode ran), handled event k (its activity ran: the counterpart of the product's record of the
/// decision, which is what the product's progress counts), completed (returned).
/// </summary>
public static class BareProgress
{
    public static readonly ConcurrentDictionary<string, byte> Started = new();
    public static readonly ConcurrentDictionary<string, byte>[] Handled =
        Enumerable.Range(0, BareEvaluationOrchestrator.Events).Select(_ => new ConcurrentDictionary<string, byte>()).ToArray();
    public static readonly ConcurrentDictionary<string, byte> Completed = new();
}

/// <summary>
/// Workload A: the same local runtime the host runs (the Durable Task sidecar of <see cref="DurableSidecar"/> with the
/// host's default <see cref="LocalHostOptions"/>, a gRPC worker and a gRPC client) in this process, on its own task
/// hub, driven through the Durable Task client the way the product's clients drive evaluations: start all, wait until
/// none is pending, then each event to all instances with bounded parallelism, waiting for each to be handled.
/// </summary>
public static class BareEngine
{
    const string Prefix = "bare-";
    const string Hub = "benchbare";
    const int DeadlineMinutes = 360;
    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary><paramref name="onPhase"/> is told the name of each phase as it begins (and "after" at the end).</summary>
    public static async Task<BareResult> RunAsync(string storage, int instances, int clients, bool timers, ILoggerFactory logs,
        Action<string> log, Action<string> onPhase)
    {
        var options = new LocalHostOptions { SidecarPort = FreePort.Next(), WorkerId = "bench-bare" };
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = storage,
            ["EvalTaskHub"] = Hub,
        }).Build();
        WebApplication sidecar = await DurableSidecar.StartAsync(configuration, options, logs);
        GrpcChannel channel = GrpcChannel.ForAddress($"http://localhost:{options.SidecarPort}");

        HostApplicationBuilder builder = Host.CreateApplicationBuilder(
            new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Services.AddSingleton(logs);
        builder.Services.AddSingleton<IHostLifetime, NoConsoleLifetime>();
        builder.Services.AddDurableTaskWorker(b =>
        {
            b.AddTasks(r => { r.AddOrchestrator<BareEvaluationOrchestrator>(); r.AddActivity<NoOpActivity>(); });
            b.UseGrpc(o => { o.Channel = channel; o.SetSilentDisconnectTimeout(TimeSpan.Zero); });
        });
        builder.Services.AddDurableTaskClient(b => b.UseGrpc(channel));
        IHost worker = builder.Build();
        await worker.StartAsync();
        DurableTaskClient client = worker.Services.GetRequiredService<DurableTaskClient>();

        try
        {
            var clock = new PhaseClock("A", "schedule", log, onPhase);

            string[] ids = Enumerable.Range(0, instances).Select(i => $"{Prefix}{i:D5}").ToArray();
            await ForEachAsync(ids, clients, (id, ct) => client.ScheduleNewOrchestrationInstanceAsync(nameof(BareEvaluationOrchestrator),
                timers ? DeadlineMinutes : 0, new StartOrchestrationOptions(id), ct));
            clock.Next("schedule", "start");
            await WaitAsync(() => BareProgress.Started.Count == instances, "every instance to start");
            // As the product does before taking actions: an event raised before the start is processed would be lost.
            await WaitNonePendingAsync(client);
            clock.Next("start", "event 1");
            for (int k = 0; k < BareEvaluationOrchestrator.Events; k++)
            {
                int step = k;
                await ForEachAsync(ids, clients,
                    (id, ct) => client.RaiseEventAsync(id, BareEvaluationOrchestrator.EventName(step), step, ct));
                await WaitAsync(() => BareProgress.Handled[step].Count == instances, $"event {step + 1} to be handled");
                clock.Next($"event {step + 1}", step + 1 < BareEvaluationOrchestrator.Events ? $"event {step + 2}" : "complete");
            }
            await WaitAsync(() => BareProgress.Completed.Count == instances, "every instance to complete");
            clock.Next("complete", "after");
            TimeSpan wall = clock.Elapsed;
            // Not timed: storage agrees that every instance completed.
            await WaitCompletedAsync(client, instances);
            return new BareResult(instances, wall.TotalSeconds, clock.Phases);
        }
        finally
        {
            // The worker's work-item stream first, then the sidecar it talks to (as the local host stops).
            await worker.StopAsync();
            worker.Dispose();
            await sidecar.StopAsync();
            await sidecar.DisposeAsync();
            channel.Dispose();
        }
    }

    /// <summary>
    /// Empties the bare hub's queues. Its cancelled deadline timers stay queued until they are due (hours), and
    /// Azurite's in-memory store looks through every message of the account on each dequeue: left there, they would
    /// slow workload B down for A's sake. The queues themselves stay: the stopped sidecar may still be releasing its
    /// partitions in the background, and deleting the hub under it made that hang (and end the process 10 min later).
    /// </summary>
    public static Task<int> ClearQueuesAsync(string storage) => AzuriteSweep.ClearQueuesAsync(storage, Hub);

    static Task ForEachAsync(string[] ids, int parallelism, Func<string, CancellationToken, Task> action) =>
        Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (id, ct) => await action(id, ct));

    static async Task WaitAsync(Func<bool> done, string what)
    {
        var until = DateTime.UtcNow.AddMinutes(60);
        while (!done())
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"Workload A gave up waiting for {what}: {BareProgress.Started.Count} started, " +
                                           $"{string.Join("/", BareProgress.Handled.Select(h => h.Count))} handled, " +
                                           $"{BareProgress.Completed.Count} completed.");
            await Task.Delay(PollInterval);
        }
    }

    static async Task WaitNonePendingAsync(DurableTaskClient client)
    {
        var until = DateTime.UtcNow.AddMinutes(10);
        int pending;
        while ((pending = await CountAsync(client, OrchestrationRuntimeStatus.Pending)) > 0)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"Workload A: {pending} instances still pending.");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    static async Task WaitCompletedAsync(DurableTaskClient client, int instances)
    {
        var until = DateTime.UtcNow.AddMinutes(2);
        int completed;
        while ((completed = await CountAsync(client, OrchestrationRuntimeStatus.Completed)) != instances)
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"Workload A: storage shows {completed} of {instances} instances completed.");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    static async Task<int> CountAsync(DurableTaskClient client, OrchestrationRuntimeStatus status)
    {
        int count = 0;
        await foreach (var _ in client.GetAllInstancesAsync(
            new OrchestrationQuery { InstanceIdPrefix = Prefix, Statuses = [status], PageSize = 1000 }))
            count++;
        return count;
    }
}


public sealed record BareResult(int Instances, double WallSeconds, List<PhaseTime> Phases)
{
    public double EvaluationsPerSecond => Instances / WallSeconds;
}
