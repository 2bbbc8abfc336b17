using System.Diagnostics;
using Eval.LocalHost;
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
/// one records the decision), then done. The custom status counts the events handled, for the driver to wait on.
/// </summary>
public sealed class BareEvaluationOrchestrator : TaskOrchestrator<int, string>
{
    public const int Events = 3;
    public static string EventName(int k) => $"step{k}";

    public override async Task<string> RunAsync(TaskOrchestrationContext context, int deadlineMinutes)
    {
        DateTime deadline = context.CurrentUtcDateTime.AddMinutes(deadlineMinutes);
        context.SetCustomStatus(0);
        for (int k = 0; k < Events; k++)
        {
            Task<int> step = context.WaitForExternalEvent<int>(EventName(k));
            using var cancelTimer = new CancellationTokenSource();
            Task timer = context.CreateTimer(deadline, cancelTimer.Token);
            if (await Task.WhenAny(step, timer) != step) return "deadline";
            cancelTimer.Cancel();
            await context.CallActivityAsync<int>(nameof(NoOpActivity), step.Result);
            context.SetCustomStatus(k + 1);
        }
        return "done";
    }
}

/// <summary>Does nothing: the cost measured is the engine's scheduling and bookkeeping of an activity.</summary>
public sealed class NoOpActivity : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int input) => Task.FromResult(input);
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
    const int DeadlineMinutes = 360;
    static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary><paramref name="onPhase"/> is told the name of each phase as it begins (and "after" at the end).</summary>
    public static async Task<BareResult> RunAsync(string storage, int instances, int clients, ILoggerFactory logs, Action<string> log, Action<string> onPhase)
    {
        var options = new LocalHostOptions { SidecarPort = FreePort.Next(), WorkerId = "bench-bare" };
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = storage,
            ["EvalTaskHub"] = "benchbare",
        }).Build();
        WebApplication sidecar = await DurableSidecar.StartAsync(configuration, options, logs);
        GrpcChannel channel = GrpcChannel.ForAddress($"http://localhost:{options.SidecarPort}");

        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Services.AddSingleton(logs);
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
            var phases = new List<PhaseTime>();
            onPhase("schedule");
            var watch = Stopwatch.StartNew();
            TimeSpan mark = TimeSpan.Zero;
            void Phase(string finished, string next)
            {
                onPhase(next);
                phases.Add(new PhaseTime(finished, Math.Round((watch.Elapsed - mark).TotalSeconds, 2)));
                mark = watch.Elapsed;
                log($"A: {finished} in {phases[^1].Seconds} s");
            }

            string[] ids = Enumerable.Range(0, instances).Select(i => $"{Prefix}{i:D5}").ToArray();
            await ForEachAsync(ids, clients, (id, ct) => client.ScheduleNewOrchestrationInstanceAsync(nameof(BareEvaluationOrchestrator), DeadlineMinutes,
                new StartOrchestrationOptions(id), ct));
            Phase("schedule", "start");
            await WaitAsync(client, instances, (pending, _, _) => pending == 0, "none pending");
            Phase("start", "event 1");
            for (int k = 0; k < BareEvaluationOrchestrator.Events; k++)
            {
                int step = k;
                await ForEachAsync(ids, clients, (id, ct) => client.RaiseEventAsync(id, BareEvaluationOrchestrator.EventName(step), step, ct));
                await WaitAsync(client, instances, (_, handled, _) => handled.All(h => h > step), $"event {step} handled");
                Phase($"event {step + 1}", step + 1 < BareEvaluationOrchestrator.Events ? $"event {step + 2}" : "complete");
            }
            await WaitAsync(client, instances, (_, _, completed) => completed == instances, "all completed");
            Phase("complete", "after");
            TimeSpan wall = watch.Elapsed;
            return new BareResult(instances, wall.TotalSeconds, phases);
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

    static Task ForEachAsync(string[] ids, int parallelism, Func<string, CancellationToken, Task> action) =>
        Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (id, ct) => await action(id, ct));

    /// <summary>Polls every instance (one query, pages of 1,000) until <paramref name="done"/>(pending, handled per instance, completed).</summary>
    static async Task WaitAsync(DurableTaskClient client, int instances, Func<int, int[], int, bool> done, string what)
    {
        var until = DateTime.UtcNow.AddMinutes(60);
        while (true)
        {
            int pending = 0, completed = 0, seen = 0;
            var handled = new List<int>(instances);
            var query = new OrchestrationQuery { InstanceIdPrefix = Prefix, PageSize = 1000, FetchInputsAndOutputs = true };
            await foreach (OrchestrationMetadata m in client.GetAllInstancesAsync(query))
            {
                seen++;
                if (m.RuntimeStatus == OrchestrationRuntimeStatus.Pending) pending++;
                if (m.RuntimeStatus == OrchestrationRuntimeStatus.Completed) completed++;
                if (m.RuntimeStatus is OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated)
                    throw new InvalidOperationException($"Bare instance {m.InstanceId} is {m.RuntimeStatus}: {m.FailureDetails?.ErrorMessage}");
                handled.Add(int.TryParse(m.SerializedCustomStatus, out int h) ? h : 0);
            }
            if (seen == instances && done(pending, handled.ToArray(), completed)) return;
            if (DateTime.UtcNow > until) throw new TimeoutException($"Workload A gave up waiting for {what}: {seen} instances, {pending} pending, {completed} completed.");
            await Task.Delay(PollInterval);
        }
    }
}

public sealed record PhaseTime(string Name, double Seconds);

public sealed record BareResult(int Instances, double WallSeconds, List<PhaseTime> Phases)
{
    public double EvaluationsPerSecond => Instances / WallSeconds;
}
