using System.Text.Json;
using Eval.Api.Endpoints;
using Eval.Api;
using Eval.FunctionalTests.Infrastructure;
using Eval.LocalHost;
using Eval.LocalHost.ApiDescription;
using Eval.LocalHost.Notifications;
using Eval.Workflows;
using Eval.Workflows.Notifications;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Eval.FunctionalTests;

/// <summary>
/// The Functions app (as its build's functions.metadata declares it to the Functions host) and the local host
/// expose the same HTTP routes and methods, and the same orchestration and activity names.
/// </summary>
public sealed class HostParityTests
{
    static readonly JsonElement[] Functions =
        JsonDocument.Parse(File.ReadAllText(Repo.FunctionsMetadata)).RootElement.EnumerateArray().ToArray();

    static IEnumerable<string> FunctionNamesWith(string type) =>
        Functions.Where(f => f.GetProperty("bindings").EnumerateArray().Any(b => b.GetProperty("type").GetString() == type))
            .Select(f => f.GetProperty("name").GetString()!);

    /// <summary>"METHOD /api/route" for every method of every HTTP trigger of the Functions app.</summary>
    static string[] FunctionRoutes(bool withNames = false) =>
        Functions.SelectMany(f => f.GetProperty("bindings").EnumerateArray().Where(b => b.GetProperty("type").GetString() == "httpTrigger")
                .SelectMany(b => b.GetProperty("methods").EnumerateArray().Select(m =>
                    $"{m.GetString()!.ToUpperInvariant()} /{EvalApi.Prefix}/{b.GetProperty("route").GetString()}" +
                    (withNames ? $" {f.GetProperty("name").GetString()}" : ""))))
            .Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Both_hosts_expose_the_same_routes_and_methods()
    {
        var functions = FunctionRoutes();

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { [SettingNames.Storage] = "UseDevelopmentStorage=true" });
        builder.Services.AddEvalApi(builder.Configuration);
        builder.Services.AddSingleton<DurableTaskClient>(_ => throw new InvalidOperationException("not used: routes only"));
        builder.Services.AddEvalOpenApi();
        WebApplication app = builder.Build();
        app.MapEvalApi();
        app.MapEvalApiDescription(); // as Program.cs does
        app.MapDevSignIn();
        var routes = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Select(e => (Path: "/" + e.RoutePattern.RawText!.TrimStart('/'),
                Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]))
            .ToArray();
        // /openapi/v1.json and the /docs page describe the API; they are not part of it, and the Functions app has no
        // reason to serve them (docs/openapi.json is published with the build instead). Only these are left out.
        bool documentation(string path) => OpenApiSetup.LocalOnlyRoutePrefixes.Any(p => path.StartsWith(p, StringComparison.Ordinal));
        Assert.Contains(routes, r => documentation(r.Path));
        var local = routes.Where(r => !documentation(r.Path)).SelectMany(r => r.Methods.Select(m => $"{m} {r.Path}"))
            .Order(StringComparer.Ordinal).ToList();
        // The one route of the API's that only the local host has: the web app's development sign-in.
        Assert.True(local.Remove($"POST {DevSignIn.Route}"));

        Assert.NotEmpty(functions);
        Assert.Equal(functions, local);
    }

    [Fact]
    public void The_API_description_documents_exactly_the_functions_routes_methods_and_names()
    {
        // docs/openapi.json as committed; ApiDescriptionTests checks that it is what the code generates.
        JsonElement paths = JsonDocument.Parse(File.ReadAllText(ApiDescriptionTests.CommittedPath)).RootElement.GetProperty("paths");
        var documented = paths.EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(
                o => $"{o.Name.ToUpperInvariant()} {p.Name} {o.Value.GetProperty("operationId").GetString()}"))
            .Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(FunctionRoutes(withNames: true), documented);
    }

    [Fact]
    public void Both_hosts_register_the_same_orchestrations_and_activities()
    {
        Assert.Equal(WorkflowCatalog.Orchestrators.Keys.Order(), FunctionNamesWith("orchestrationTrigger").Order());
        Assert.Equal(WorkflowCatalog.Activities.Keys.Order(), FunctionNamesWith("activityTrigger").Order());
    }

    [Fact]
    public void Every_function_the_app_declares_is_an_http_trigger_a_workflow_task_the_reminder_sweep_or_the_webhook_dispatchers_work()
    {
        var kinds = Functions.Select(f => f.GetProperty("bindings").EnumerateArray()
            .Select(b => b.GetProperty("type").GetString()).First(t => t!.EndsWith("Trigger", StringComparison.Ordinal)));
        Assert.All(kinds, k => Assert.Contains(k, new[] { "httpTrigger", "orchestrationTrigger", "activityTrigger", "queueTrigger",
            "timerTrigger" }));
    }

    [Fact]
    public void Both_hosts_deliver_webhooks_from_the_same_queues_with_the_same_handling()
    {
        // The Functions app's queue triggers and its timers (but the reminder sweep's, below) are the local host's dispatcher
        // loops, by name.
        Assert.Equal(NotificationDispatcherService.Functions.Order(),
            FunctionNamesWith("queueTrigger").Concat(FunctionNamesWith("timerTrigger").Where(f => f != ReminderSweep.FunctionName))
                .Order());
        string QueueOf(string function) => Functions.Single(f => f.GetProperty("name").GetString() == function)
            .GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "queueTrigger")
            .GetProperty("queueName").GetString()!;
        // Each trigger reads its queue's name from the setting the local host reads it from (NotificationOptions).
        Assert.Equal("%" + NotificationOptions.Section + ":" + nameof(NotificationOptions.FanoutQueue) + "%",
            QueueOf(NotificationDispatcher.FanOutFunction));
        Assert.Equal("%" + NotificationOptions.Section + ":" + nameof(NotificationOptions.DeliveryQueue) + "%",
            QueueOf(NotificationDispatcher.DeliverFunction));
        JsonElement timer = Functions.Single(f => f.GetProperty("name").GetString() == NotificationDispatcher.SweepFunction)
            .GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "timerTrigger");
        Assert.Equal(NotificationDispatcher.SweepSchedule, timer.GetProperty("schedule").GetString());
        Assert.Equal(NotificationDispatcher.SweepSchedule, "0 */" + new NotificationOptions().SweepInterval.TotalMinutes + " * * * *");

        // What host.json has the Functions host do with a message whose handling throws, the local dispatcher does too.
        JsonElement queues = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Root, "functions", "Eval.Functions", "host.json")))
            .RootElement.GetProperty("extensions").GetProperty("queues");
        Assert.Equal(NotificationQueues.MaxDequeueCount, queues.GetProperty("maxDequeueCount").GetInt32());
        Assert.Equal(NotificationQueues.RetryVisibility, TimeSpan.Parse(queues.GetProperty("visibilityTimeout").GetString()!));
        Assert.Equal("base64", queues.GetProperty("messageEncoding").GetString());
        // The other timer runs the reminder sweep, as the local host's ReminderSweepService does (SupervisionTests runs it there).
        Assert.Contains(ReminderSweep.FunctionName, FunctionNamesWith("timerTrigger"));
    }

    [Fact]
    public void Both_hosts_run_the_task_hub_with_the_same_durable_settings()
    {
        // host.json configures the Functions host; LocalHostOptions' defaults configure the local sidecar. The
        // reasons for each value are in docs/deploy.md ("host.json settings and why"): change both, and the table.
        JsonElement durable = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Root, "functions", "Eval.Functions", "host.json")))
            .RootElement.GetProperty("extensions").GetProperty("durableTask");
        JsonElement provider = durable.GetProperty("storageProvider");
        var local = new LocalHostOptions();

        Assert.Equal("%" + SettingNames.TaskHub + "%", durable.GetProperty("hubName").GetString());
        Assert.Equal(local.PartitionCount, provider.GetProperty("partitionCount").GetInt32());
        Assert.Equal(TimeSpan.FromSeconds(local.MaxQueuePollingIntervalSeconds),
            TimeSpan.Parse(provider.GetProperty("maxQueuePollingInterval").GetString()!));
        Assert.Equal(TimeSpan.FromSeconds(local.ControlQueueVisibilityTimeoutSeconds),
            TimeSpan.Parse(provider.GetProperty("controlQueueVisibilityTimeout").GetString()!));
        Assert.Equal(TimeSpan.FromSeconds(local.WorkItemQueueVisibilityTimeoutSeconds),
            TimeSpan.Parse(provider.GetProperty("workItemQueueVisibilityTimeout").GetString()!));
        Assert.Equal(local.MaxConcurrentOrchestrations, durable.GetProperty("maxConcurrentOrchestratorFunctions").GetInt32());
        Assert.Equal(local.MaxConcurrentActivities, durable.GetProperty("maxConcurrentActivityFunctions").GetInt32());
        Assert.True(local.ExtendedSessionIdleTimeoutSeconds > 0);
        Assert.True(durable.GetProperty("extendedSessionsEnabled").GetBoolean());
        Assert.Equal(local.ExtendedSessionIdleTimeoutSeconds, durable.GetProperty("extendedSessionIdleTimeoutInSeconds").GetDouble());
        Assert.Equal(local.ControlQueueBufferThreshold, provider.GetProperty("controlQueueBufferThreshold").GetInt32());
        // The sidecar leaves the batch at the provider's default.
        Assert.Equal(32, provider.GetProperty("controlQueueBatchSize").GetInt32());
    }
}
