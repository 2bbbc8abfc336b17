using Eval.Api;
using Eval.Api.Telemetry;
using Eval.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Hosting;

FunctionsApplicationBuilder builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<ProblemDetailsMiddleware>();
// Includes TokenModeGuard's start check: in Azure without Auth__MetadataAddress, or with the sample signing key of
// local.settings.sample.json, the app stops before it serves a request.
builder.Services.AddEvalApi(builder.Configuration);
// The worker's own invocation spans and the Functions host's trace context on top of the shared wiring; host.json's
// telemetryMode OpenTelemetry makes the host itself emit OpenTelemetry too.
builder.Services.AddEvalTelemetry(builder.Configuration, "eval-functions").UseFunctionsWorkerDefaults();
builder.Build().Run();
