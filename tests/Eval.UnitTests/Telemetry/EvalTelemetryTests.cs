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

        // Tests running beside this one in the process may emit spans of the same sources (an Azure SDK client's request):
        // only this test's spans, tagged with its run, are judged.
        string run = Guid.NewGuid().ToString("N");
        foreach ((string source, string span) in new[]
                 {
                     (EvalTelemetry.DurableTaskSource, "orchestration:EvaluationOrchestrator"),
                     ("Azure.Data.Tables", "TableClient.UpsertEntity"),
                     ("Some.Other.Library", "not asked for"),
                 })
        {
            using var activitySource = new ActivitySource(source);
            using Activity? activity = activitySource.StartActivity(span)?.SetTag("test.run", run);
        }
        tracer.ForceFlush();

        Assert.Equal(["orchestration:EvaluationOrchestrator", "TableClient.UpsertEntity"],
            exported.Where(a => a.GetTagItem("test.run") as string == run).Select(a => a.DisplayName));
        // The Azure SDK emits its spans only with this switch on.
        Assert.True(AppContext.TryGetSwitch(EvalTelemetry.AzureSdkSwitch, out bool enabled) && enabled);
    }

    [Fact]
    public void In_Azure_the_exporter_signs_in_with_the_managed_identity_the_authentication_string_names()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [EvalTelemetry.AzureMonitorSetting] =
                "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://example.invalid/",
            [EvalTelemetry.AzureMonitorAuthenticationSetting] = "ClientId=11111111-2222-3333-4444-555555555555;Authorization=AAD",
        }).Build();
        var services = new ServiceCollection();
        services.AddEvalTelemetry(configuration, "eval-test");
        using ServiceProvider provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<
            Microsoft.Extensions.Options.IOptionsMonitor<Azure.Monitor.OpenTelemetry.Exporter.AzureMonitorExporterOptions>>();
        Assert.IsType<Azure.Identity.ManagedIdentityCredential>(options.Get(Microsoft.Extensions.Options.Options.DefaultName).Credential);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("Authorization=AAD", true)]
    [InlineData("ClientId=abc;Authorization=AAD", true)]
    [InlineData(" authorization = aad ; clientid = abc ", true)]
    public void The_authentication_string_gives_a_managed_identity_or_nothing(string? value, bool credential) =>
        Assert.Equal(credential, EvalTelemetry.AzureMonitorCredential(value) is Azure.Identity.ManagedIdentityCredential);

    [Fact]
    public void An_authentication_string_that_is_not_entra_is_refused_at_start() =>
        Assert.Throws<InvalidOperationException>(() => EvalTelemetry.AzureMonitorCredential("Authorization=Key"));
}
