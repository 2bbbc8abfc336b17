// The local runtime: one process with the Durable Task sidecar over Azurite, a gRPC worker and client, and the
// project's HTTP API on Kestrel. Settings come from local.settings.json ("Values") and the environment.
using Eval.Api;
using Eval.Api.Endpoints;
using Eval.Api.Auth;
using Eval.Api.Http;
using Eval.Api.Telemetry;
using Eval.LocalHost;
using Eval.LocalHost.Durable;
using Eval.LocalHost.ApiDescription;
using Eval.LocalHost.Cli;
using Eval.LocalHost.Notifications;
using Eval.Workflows;
using Eval.Workflows.Notifications;
using Eval.Workflows.Storage;
using Grpc.Net.Client;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Grpc.Internal;

// appsettings.json (log levels) sits beside the binary; local.settings.json is read from the working directory.
WebApplicationBuilder builder = WebApplication.CreateBuilder(
    new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
LocalSettingsFile.AddTo(builder.Configuration, Directory.GetCurrentDirectory());
switch (args.FirstOrDefault())
{
    case "token": return TokenCommand.Run(new CommandLine(args), builder.Configuration);
    case "seed": return await SeedCommand.RunAsync(new CommandLine(args), builder.Configuration);
    case "openapi": return await OpenApiCommand.RunAsync(new CommandLine(args));
    case "mail": return await MailCommand.RunAsync(new CommandLine(args), builder.Configuration);
}
LocalHostOptions options = builder.Configuration.GetSection(LocalHostOptions.Section).Get<LocalHostOptions>() ?? new();

builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(options.HttpPort));
// The web app's files come from its project's build output, as in development (this host is always run from its build).
builder.WebHost.UseStaticWebAssets();
// The plaques' QR codes point at this host unless a setting names the public address.
builder.Configuration["Public:BaseUrl"] ??= $"http://localhost:{options.HttpPort}";
builder.Services.AddEvalApi(builder.Configuration);
// Webhook delivery: what the Functions app's queue and timer triggers run, as a background service here.
builder.Services.AddHostedService<NotificationDispatcherService>();
// The one host that accepts the sample key of local.settings.sample.json, so `./eval up` works as cloned; the
// Functions app refuses it (TokenModeGuard).
builder.Services.AllowSampleSigningKey();
// Before the sidecar starts: it is the first to use the Azure SDK, which reads the tracing switch once.
builder.Services.AddEvalTelemetry(builder.Configuration, "eval-localhost");
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<Outages>(); // 503 with Retry-After when storage or the task hub failed; else the 500 problem
builder.Services.AddEvalOpenApi();
// Reminders of deadlines, told when due (the Functions app runs the same sweep on a timer trigger).
builder.Services.AddHostedService<ReminderSweepService>();

using ILoggerFactory sidecarLogs = LoggerFactory.Create(l => l.AddConfiguration(builder.Configuration.GetSection("Logging"))
    .AddSimpleConsole(c => c.SingleLine = true));
WebApplication sidecar = await DurableSidecar.StartAsync(builder.Configuration, options, sidecarLogs);

GrpcChannel channel = GrpcChannel.ForAddress($"http://localhost:{options.SidecarPort}");
builder.Services.AddDurableTaskWorker(b =>
{
    b.AddTasks(r => r.AddEvalWorkflows());
    // The sidecar sends no health pings: without this the worker re-opens its stream every 120 s when idle.
    b.UseGrpc(o => { o.Channel = channel; o.SetSilentDisconnectTimeout(TimeSpan.Zero); });
});
builder.Services.AddDurableTaskClient(b => b.UseGrpc(channel));

WebApplication app = builder.Build();
await app.Services.GetRequiredService<EvalTables>().EnsureCreatedAsync();
await app.Services.GetRequiredService<EvidenceBlobs>().EnsureContainersAsync();
// The web app's evidence goes from the browser straight to Azurite, another origin. Any origin: hosts on other ports share
// one Azurite in the tests, and a SAS URL, not a cookie, is what grants access (infra/ names the app's origin in Azure).
await app.Services.GetRequiredService<EvidenceBlobs>().AllowBrowsersAsync(["*"]);
await app.Services.GetRequiredService<StatementStore>().EnsureContainerAsync();
await app.Services.GetRequiredService<NotificationQueues>().EnsureCreatedAsync();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapEvalApi();
app.MapEvalApiDescription();
app.MapDevSignIn();
// The web app (web/Eval.Web) beside /api: its files, and its page for any other path outside /api (the app routes it).
app.MapStaticAssets();
// "/" on its own: the catch-all's regex constraint does not match an empty path.
app.MapFallbackToFile("/", "index.html");
// Not ":nonfile": the app's own paths hold unit ids with dots (…/evaluations/chifeng.hongshan.t01.b001). The app's asset
// folders are left out instead, so a missing asset stays a 404.
app.MapFallbackToFile("{*path:regex(^(?!(api|_framework|_content|css|js)/).*$)}", "index.html");

await app.StartAsync();
app.Logger.LogInformation(
    "Eval local host listening on http://localhost:{Port}/ (the web app; the API at /api; task hub {Hub}, worker {Worker})",
    options.HttpPort, builder.Configuration[SettingNames.TaskHub], options.WorkerId);
await app.WaitForShutdownAsync();

// Stop the worker (closing its work-item stream) before the sidecar it talks to.
await app.StopAsync();
await sidecar.StopAsync();
channel.Dispose();
return 0;
