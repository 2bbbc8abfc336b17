using System.Diagnostics;
using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Eval.Api.Telemetry;

/// <summary>
/// OpenTelemetry for both hosts, wired in one place: traces of incoming HTTP requests, outgoing HTTP (Table Storage
/// through the Azure SDK), orchestrations and activities; metrics of HTTP and the runtime; logs with their scopes.
/// Exported to Azure Monitor when APPLICATIONINSIGHTS_CONNECTION_STRING is set (with the managed identity that
/// APPLICATIONINSIGHTS_AUTHENTICATION_STRING names, when it is set), and to the console when
/// Telemetry__Console is true (locally). With neither, nothing is exported.
/// </summary>
public static class EvalTelemetry
{
    public const string AzureMonitorSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string AzureMonitorAuthenticationSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";
    public const string ConsoleSetting = "Telemetry:Console";

    /// <summary>
    /// The ActivitySource Microsoft.DurableTask's gRPC worker and client trace orchestrations, activities, timers and events with.
    /// </summary>
    public const string DurableTaskSource = "Microsoft.DurableTask";

    /// <summary>The Azure SDK's sources (Azure.Data.Tables, Azure.Core.Http): off unless <see cref="AzureSdkSwitch"/> is on.</summary>
    public const string AzureSdkSources = "Azure.*";
    public const string AzureSdkSwitch = "Azure.Experimental.EnableActivitySource";
    const string AzureSdkHttpSource = "Azure.Core.Http";

    public static OpenTelemetryBuilder AddEvalTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        AppContext.SetSwitch(AzureSdkSwitch, true);
        bool console = configuration.GetValue<bool>(ConsoleSetting);
        string? azureMonitor = configuration[AzureMonitorSetting];

        OpenTelemetryBuilder telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithTracing(tracing =>
            {
                tracing.AddSource(DurableTaskSource, AzureSdkSources)
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsGrpc(http.Request.ContentType))
                    .AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage = request =>
                        !IsGrpc(request.Content?.Headers.ContentType?.MediaType) && !IsAzureSdkRequest());
                if (console) tracing.AddConsoleExporter();
            })
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation();
                if (console) metrics.AddConsoleExporter();
            })
            // Logs already go to the console through the hosts' own loggers; OpenTelemetry carries them to Azure Monitor,
            // with their scopes and the message template's fields (CampaignId, BranchId, InstanceId) as attributes.
            .WithLogging(_ => { }, o =>
            {
                o.IncludeScopes = true;
                o.IncludeFormattedMessage = true;
            });
        if (!string.IsNullOrWhiteSpace(azureMonitor))
        {
            TokenCredential? credential = AzureMonitorCredential(configuration[AzureMonitorAuthenticationSetting]);
            telemetry.UseAzureMonitorExporter(o =>
            {
                o.ConnectionString = azureMonitor;
                if (credential is not null) o.Credential = credential;
            });
        }
        return telemetry;
    }

    /// <summary>
    /// The Entra credential the exporter must send when the Application Insights resource refuses its key (as Bicep sets
    /// it up: key authentication off). The Functions host reads this setting for its own telemetry; the exporter in the
    /// worker does not, so without this every log and span of the worker would be refused.
    /// "Authorization=AAD;ClientId=…" is a user-assigned identity, "Authorization=AAD" the system-assigned one.
    /// </summary>
    public static TokenCredential? AzureMonitorCredential(string? authenticationString)
    {
        if (string.IsNullOrWhiteSpace(authenticationString)) return null;
        var parts = authenticationString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out string? kind) || !kind.Equals("AAD", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException(
                $"{AzureMonitorAuthenticationSetting} must be 'Authorization=AAD' with an optional 'ClientId=…'.");
        return new ManagedIdentityCredential(parts.TryGetValue("ClientId", out string? clientId) && clientId.Length > 0
            ? ManagedIdentityId.FromUserAssignedClientId(clientId) : ManagedIdentityId.SystemAssigned);
    }

    /// <summary>
    /// gRPC is the plumbing between a worker and its Durable Task backend (the local sidecar, or the Functions host):
    /// long polls and work-item streams, not API traffic. The orchestrations it carries are traced by their own source.
    /// </summary>
    static bool IsGrpc(string? contentType) => contentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>
    /// A request the Azure SDK sends is already traced by the SDK's own client span (with the table and operation), whose
    /// Azure.Core.Http child is the HTTP call itself; a third span from HttpClient would repeat it.
    /// </summary>
    static bool IsAzureSdkRequest()
    {
        for (Activity? a = Activity.Current; a is not null; a = a.Parent)
            if (a.Source.Name == AzureSdkHttpSource) return true;
        return false;
    }
}
