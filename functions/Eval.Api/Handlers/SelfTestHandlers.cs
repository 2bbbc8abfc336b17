using Eval.Api.Endpoints;
using Eval.Workflows.Schemas;
using Azure;
using Azure.Data.Tables;
using Eval.Api.Auth;
using Eval.Api.Http;
using Eval.Workflows;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Eval.Workflows.Orchestrations;
using Eval.Workflows.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Eval.Api.Handlers;

/// <summary>
/// The deployment self-test: POST starts an orchestration that writes to table SelfTests and waits for a
/// confirmation (a second POST) until a durable-timer deadline; GET reads the row back.
/// </summary>
public sealed class SelfTestHandlers(Idempotency idempotency, Authenticator auth, EvalTables tables, TimeProvider clock,
    ILogger<SelfTestHandlers> log)
{
    public const int MaxDeadlineSeconds = 7 * 24 * 3600;

    public sealed record StartRequest(int DeadlineSeconds, string? RequestedBy = null);

    public sealed record ConfirmRequest(string? ConfirmedBy = null);

    public Task<IResult> StartAsync(HttpRequest request, DurableTaskClient client) =>
        idempotency.RunAsync(request, () => StartOnceAsync(request, client));

    async Task<IResult> StartOnceAsync(HttpRequest request, DurableTaskClient client)
    {
        if (await OperatorAsync(request) is { } denied) return denied;
        var (body, problem) = await JsonBody.ReadAsync<StartRequest>(request);
        if (problem is not null) return problem;
        if (body!.DeadlineSeconds is < 1 or > MaxDeadlineSeconds)
            return Problems.Validation([new FieldError("/deadlineSeconds", $"Must be between 1 and {MaxDeadlineSeconds}.")]);

        // With an Idempotency-Key the id comes from the operation: a repeat after a crash finds the self-test it started
        // (scheduling the same id again would restart it).
        string? operation = Idempotency.OperationOf(request);
        string id = "selftest-" + (operation?[..32] ?? Guid.NewGuid().ToString("N"));
        if (operation is not null && await client.GetInstanceAsync(id, getInputsAndOutputs: true) is { } started
            && started.ReadInputAs<SelfTestInput>() is { } startedInput)
            return Results.Accepted($"/{EvalApi.Prefix}/selftests/{id}", new SelfTestStarted(id, startedInput.Deadline));
        var input = new SelfTestInput(id, clock.GetUtcNow().AddSeconds(body.DeadlineSeconds), Trim(body.RequestedBy) ?? "anonymous");
        await client.ScheduleNewOrchestrationInstanceAsync(TaskNames.SelfTestOrchestrator, input, new StartOrchestrationOptions(id));
        log.LogInformation("Self-test started: instance {InstanceId}, deadline {Deadline:O}", id, input.Deadline);
        return Results.Accepted($"/{EvalApi.Prefix}/selftests/{id}", new SelfTestStarted(id, input.Deadline));
    }

    public Task<IResult> ConfirmAsync(HttpRequest request, DurableTaskClient client, string id) =>
        idempotency.RunAsync(request, () => ConfirmOnceAsync(request, client, id));

    async Task<IResult> ConfirmOnceAsync(HttpRequest request, DurableTaskClient client, string id)
    {
        if (await OperatorAsync(request) is { } denied) return denied;
        var (body, problem) = await JsonBody.ReadAsync(request, whenEmpty: new ConfirmRequest(null));
        if (problem is not null) return problem;
        // The table row is the record of where the self-test stands; the orchestration writes it before it waits.
        NullableResponse<TableEntity> row = await ReadAsync(id, request.HttpContext.RequestAborted);
        if (!row.HasValue) return Problems.NotFound($"No self-test '{id}'.");
        if (row.Value!.GetString("Status") != SelfTestStatus.Waiting)
            return Problems.Conflict($"Self-test '{id}' is not waiting for a confirmation.");
        await client.RaiseEventAsync(id, SelfTestOrchestrator.ConfirmedEvent,
            new SelfTestConfirmation(Trim(body!.ConfirmedBy) ?? "anonymous"));
        return Results.Accepted($"/{EvalApi.Prefix}/selftests/{id}");
    }

    public async Task<IResult> GetAsync(HttpRequest request, string id)
    {
        if (await OperatorAsync(request) is { } denied) return denied;
        NullableResponse<TableEntity> row = await ReadAsync(id, request.HttpContext.RequestAborted);
        if (!row.HasValue) return Problems.NotFound($"No self-test '{id}'.");
        TableEntity e = row.Value!;
        return Results.Ok(new SelfTestView(id, e.GetString("Status"), e.GetString("RequestedBy"), e.GetDateTimeOffset("Deadline"),
            e.GetString("ConfirmedBy"), e.GetDateTimeOffset("At")));
    }

    /// <summary>Self-tests start orchestrations, so only the organization department (the operators) may run them.</summary>
    async Task<IResult?> OperatorAsync(HttpRequest request)
    {
        var (caller, denied) = await auth.AuthenticateAsync(request);
        if (denied is not null) return denied;
        return caller!.HasRole(Roles.OrgDepartment) ? null : Problems.Forbidden("Self-tests are for the organization department.");
    }

    // Ids are ours ("selftest-" + 32 hex digits); anything else cannot exist and must not reach a table key.
    static bool IsSelfTestId(string id) => id.Length == 41 && id.StartsWith("selftest-", StringComparison.Ordinal)
        && id.AsSpan(9).ContainsAnyExcept("0123456789abcdef") == false;

    async Task<NullableResponse<TableEntity>> ReadAsync(string id, CancellationToken cancellationToken) => !IsSelfTestId(id)
        ? NotFoundRow
        : await tables.Table(EvalTables.SelfTests).GetEntityIfExistsAsync<TableEntity>(RecordSelfTestActivity.PartitionKey, id,
            cancellationToken: cancellationToken);

    static readonly NullableResponse<TableEntity> NotFoundRow = new MissingRow();

    sealed class MissingRow : NullableResponse<TableEntity>
    {
        public override bool HasValue => false;
        public override TableEntity? Value => null;
        public override Response GetRawResponse() =>
            throw new InvalidOperationException("No response: the id was rejected before any request.");
    }

    static string? Trim(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim()[..Math.Min(s.Trim().Length, 100)];
}
