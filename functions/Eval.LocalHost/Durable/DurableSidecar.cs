using DurableTask.AzureStorage;
using DurableTask.Core;
using Eval.Api;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;

namespace Eval.LocalHost.Durable;

/// <summary>
/// The durable backend: the Durable Task gRPC sidecar (TaskHubGrpcServer) over the Azure Storage provider — the
/// same queues, tables and blobs Durable Functions uses — in its own loopback HTTP/2 web host. It is a separate
/// host because the worker's open work-item stream would otherwise hold shutdown for 30 s: the owner stops the
/// worker first, then this.
/// </summary>
public static class DurableSidecar
{
    public static async Task<WebApplication> StartAsync(
        IConfiguration configuration, LocalHostOptions options, ILoggerFactory loggerFactory)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(options.SidecarPort, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton<IHostLifetime, OwnerStoppedLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.AddGrpc();

        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(configuration[SettingNames.Storage]
                ?? throw new InvalidOperationException($"Setting '{SettingNames.Storage}' is missing.")),
            TaskHubName = configuration[SettingNames.TaskHub]
                ?? throw new InvalidOperationException($"Setting '{SettingNames.TaskHub}' is missing."),
            PartitionCount = options.PartitionCount,
            MaxQueuePollingInterval = TimeSpan.FromSeconds(options.MaxQueuePollingIntervalSeconds),
            WorkerId = options.WorkerId,
            MaxConcurrentTaskOrchestrationWorkItems = options.MaxConcurrentOrchestrations,
            MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentActivities,
            ControlQueueBufferThreshold = options.ControlQueueBufferThreshold,
            ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(options.ControlQueueVisibilityTimeoutSeconds),
            WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(options.WorkItemQueueVisibilityTimeoutSeconds),
            // The app lease lets one process at a time work a hub (for blue/green deployments). Off, several local
            // hosts on one hub share its partitions, and one takes over the partitions of another that died.
            UseAppLease = false,
            ExtendedSessionsEnabled = options.ExtendedSessionIdleTimeoutSeconds > 0,
            ExtendedSessionIdleTimeout = TimeSpan.FromSeconds(Math.Max(options.ExtendedSessionIdleTimeoutSeconds, 1)),
            LoggerFactory = loggerFactory,
        });
        IOrchestrationService dispatched = service;
        if (options.ExtendedSessionIdleTimeoutSeconds > 0)
        {
            var sessions = new ExtendedSessionOrchestrationService(service, options.MaxIdleSessions,
                loggerFactory.CreateLogger<ExtendedSessionOrchestrationService>());
            builder.Services.AddSingleton(sessions);
            dispatched = sessions;
        }
        dispatched = new ActivitySettlingOrchestrationService(dispatched,
            loggerFactory.CreateLogger<ActivitySettlingOrchestrationService>());
        builder.Services.AddSingleton<IOrchestrationService>(new DeduplicatingOrchestrationService(dispatched,
            loggerFactory.CreateLogger<DeduplicatingOrchestrationService>()));
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.Configure<TaskHubGrpcServerOptions>(o => o.Mode = TaskHubGrpcServerMode.ApiServerAndDispatcher);
        builder.Services.AddSingleton<TaskHubGrpcServer>();

        WebApplication sidecar = builder.Build();
        sidecar.MapGrpcService<TaskHubGrpcServer>();

        // The sidecar only starts the service: create the hub's queues, tables and containers first.
        await service.CreateIfNotExistsAsync();
        await sidecar.StartAsync();
        return sidecar;
    }

    sealed class OwnerStoppedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
