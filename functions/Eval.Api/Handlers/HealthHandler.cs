using System.Text.Json.Serialization;
using System.Diagnostics;
using Eval.Api.Http;
using Eval.Workflows.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Eval.Api.Handlers;

/// <summary>
/// GET /api/health: asks storage and the task hub, each within a short timeout; 200 when both answer, else 503.
/// Anyone may ask, so the answer names no task hub, endpoint or exception: a failed check says only whether it timed
/// out; what failed and why (endpoints, identities, the exception) goes to the log.
/// </summary>
public sealed class HealthHandler(EvalTables tables, IConfiguration configuration, ILogger<HealthHandler> log)
{
    static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public async Task<Results<Ok<HealthView>, ProblemHttpResult>> GetAsync(HttpRequest request, DurableTaskClient client)
    {
        Task<Check> storage = RunCheck("storage", async ct =>
        {
            // A real round trip: list one table page from the account.
            await foreach (var _ in tables.Service.QueryAsync(maxPerPage: 1, cancellationToken: ct).AsPages(pageSizeHint: 1)) break;
        });
        Task<Check> taskHub = RunCheck("task hub", async ct =>
        {
            // Goes through the Durable Task backend to the hub's instance store.
            await foreach (var _ in client.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 1 })
                .AsPages(pageSizeHint: 1).WithCancellation(ct)) break;
        });
        await Task.WhenAll(storage, taskHub);

        var checks = new Dictionary<string, Check>
        {
            ["storage"] = storage.Result,
            ["taskHub"] = taskHub.Result,
        };
        bool healthy = storage.Result.Status == "ok" && taskHub.Result.Status == "ok";
        return healthy
            ? TypedResults.Ok(new HealthView("healthy", checks))
            : Problems.Unavailable("Storage or the task hub did not answer.", new Dictionary<string, object?> { ["checks"] = checks });
    }

    string Hub => configuration[SettingNames.TaskHub] ?? "";

    async Task<Check> RunCheck(string what, Func<CancellationToken, Task> probe)
    {
        var watch = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(CheckTimeout);
        try
        {
            await probe(timeout.Token);
            return new Check("ok", watch.ElapsedMilliseconds);
        }
        catch (Exception ex)
        {
            log.LogWarning(ex, "Health check of {Check} (task hub {TaskHub}) failed after {Milliseconds} ms",
                what, Hub, watch.ElapsedMilliseconds);
            return new Check("failed", watch.ElapsedMilliseconds, Error: timeout.IsCancellationRequested ? "timed out" : "no answer");
        }
    }

    public sealed record Check(string Status, long Milliseconds,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null);
}
