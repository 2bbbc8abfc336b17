using System.Diagnostics;
using Eval.Api.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Eval.UnitTests.Telemetry;

public sealed class EvalTelemetryTests
{
    [Fact]
    public void The_shared_wiring_traces_the_durable_task_and_azure_sdk_sources_and_nothing_unasked()
    {
        var exported = new List<Activity>();
        var services = new ServiceCollection();
        services.AddEvalTelemetry(new ConfigurationBuilder().Build(), "eval-test").WithTracing(t => t.AddInMemoryExporter(exported));
        using ServiceProvider provider = services.BuildServiceProvider();
        TracerProvider tracer = provider.GetRequiredService<TracerProvider>();

        foreach ((string source, string span) in new[]
                 {
                     (EvalTelemetry.DurableTaskSource, "orchestration:EvaluationOrchestrator"),
                     ("Azure.Data.Tables", "TableClient.UpsertEntity"),
                     ("Some.Other.Library", "not asked for"),
                 })
        {
            using var activitySource = new ActivitySource(source);
            using Activity? activity = activitySource.StartActivity(span);
        }
        tracer.ForceFlush();

        Assert.Equal(["orchestration:EvaluationOrchestrator", "TableClient.UpsertEntity"], exported.Select(a => a.DisplayName));
        // The Azure SDK emits its spans only with this switch on.
        Assert.True(AppContext.TryGetSwitch(EvalTelemetry.AzureSdkSwitch, out bool enabled) && enabled);
    }
}
