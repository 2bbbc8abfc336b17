using Eval.FunctionalTests.Infrastructure;
using Eval.LocalHost;
using Eval.LocalHost.Durable;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Eval.FunctionalTests;

/// <summary>
/// The local sidecar's extended sessions on the real provider and Azurite: an activity's result that comes back
/// while its orchestration's session is kept runs on the history in memory, and the workflow's outcome is the same
/// as with sessions off.
/// </summary>
public sealed class ExtendedSessionTests
{
    [Fact]
    public async Task Episodes_that_follow_within_the_idle_time_run_on_the_kept_session_and_give_the_same_result()
    {
        var (withSessions, resumed) = await RunAsync(idleSeconds: 30);
        var (withoutSessions, _) = await RunAsync(idleSeconds: 0);

        Assert.Equal("a:1|event:7|b:8", withSessions);
        Assert.Equal(withoutSessions, withSessions);
        // Both activity results (and the event, raised within the idle time) found the session kept.
        Assert.True(resumed >= 2, $"{resumed} episodes ran on a kept session");
    }

    static async Task<(string Output, long Resumed)> RunAsync(double idleSeconds)
    {
        string hub = "sessions" + Guid.NewGuid().ToString("N")[..8];
        var options = new LocalHostOptions
        {
            SidecarPort = FreePort.Next(), WorkerId = hub, ExtendedSessionIdleTimeoutSeconds = idleSeconds,
        };
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = AzuriteInstance.Shared.ConnectionString,
            ["EvalTaskHub"] = hub,
        }).Build();
        WebApplication sidecar = await DurableSidecar.StartAsync(configuration, options, NullLoggerFactory.Instance);
        using GrpcChannel channel = GrpcChannel.ForAddress($"http://localhost:{options.SidecarPort}");
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(
            new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Services.AddDurableTaskWorker(b =>
        {
            b.AddTasks(r => { r.AddOrchestrator<StepsOrchestrator>(); r.AddActivity<TagActivity>(); });
            b.UseGrpc(o => o.Channel = channel);
        });
        builder.Services.AddDurableTaskClient(b => b.UseGrpc(channel));
        using IHost worker = builder.Build();
        await worker.StartAsync();
        try
        {
            DurableTaskClient client = worker.Services.GetRequiredService<DurableTaskClient>();
            string id = await client.ScheduleNewOrchestrationInstanceAsync(nameof(StepsOrchestrator), 1);
            await Poll.UntilAsync(async () => (await client.GetInstanceAsync(id, getInputsAndOutputs: true))?.SerializedCustomStatus,
                TimeSpan.FromSeconds(60), "the orchestration to wait for its event");
            await client.RaiseEventAsync(id, "go", 7);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            OrchestrationMetadata done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
            long resumed = sidecar.Services.GetService<ExtendedSessionOrchestrationService>()?.ResumedEpisodes ?? 0;
            return (done.ReadOutputAs<string>()!, resumed);
        }
        finally
        {
            await worker.StopAsync();
            await sidecar.StopAsync();
            await sidecar.DisposeAsync();
        }
    }

    /// <summary>Activity, external event, activity: each later step depends on the history of the earlier ones.</summary>
    public sealed class StepsOrchestrator : TaskOrchestrator<int, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, int start)
        {
            string a = await context.CallActivityAsync<string>(nameof(TagActivity), $"a:{start}");
            context.SetCustomStatus("waiting");
            int e = await context.WaitForExternalEvent<int>("go");
            string b = await context.CallActivityAsync<string>(nameof(TagActivity), $"b:{e + start}");
            return $"{a}|event:{e}|{b}";
        }
    }

    public sealed class TagActivity : TaskActivity<string, string>
    {
        public override Task<string> RunAsync(TaskActivityContext context, string tag) => Task.FromResult(tag);
    }
}
