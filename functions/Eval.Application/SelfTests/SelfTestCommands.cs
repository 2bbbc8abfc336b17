using Eval.Workflows;
using Eval.Workflows.Domain;
using Eval.Workflows.Orchestrations;
using Eval.Workflows.Schemas;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Eval.Application.SelfTests;

/// <summary>
/// The deployment self-test: a start schedules an orchestration that writes to table SelfTests and waits for a
/// confirmation until a durable-timer deadline; a confirmation is that external event.
/// </summary>
public sealed class SelfTestCommands(SelfTestQueries queries, TimeProvider clock, ILogger<SelfTestCommands> log)
{
    public const int MaxDeadlineSeconds = 7 * 24 * 3600;

    public sealed record StartRequest(int DeadlineSeconds, string? RequestedBy = null);

    public sealed record ConfirmRequest(string? ConfirmedBy = null);

    /// <summary>Starts a self-test; returns its input (id and deadline), or that of the one this operation started before.</summary>
    public async Task<Result<SelfTestInput>> StartAsync(Caller caller, Func<Task<Result<string>>> readBody, string? operation,
        DurableTaskClient client)
    {
        if (SelfTestQueries.NotAnOperator(caller) is { } refused) return refused;
        Result<StartRequest> body = await CommandBody.ReadWithoutSchemaAsync<StartRequest>(readBody);
        if (!body.Ok) return body.Problem;
        if (body.Value.DeadlineSeconds is < 1 or > MaxDeadlineSeconds)
            return Problem.Validation([new FieldError("/deadlineSeconds", $"Must be between 1 and {MaxDeadlineSeconds}.")]);

        // With an Idempotency-Key the id comes from the operation: a repeat after a crash finds the self-test it started
        // (scheduling the same id again would restart it).
        string id = "selftest-" + (operation?[..32] ?? Guid.NewGuid().ToString("N"));
        if (operation is not null && await client.GetInstanceAsync(id, getInputsAndOutputs: true) is { } started
            && started.ReadInputAs<SelfTestInput>() is { } startedInput)
            return startedInput;
        var input = new SelfTestInput(id, clock.GetUtcNow().AddSeconds(body.Value.DeadlineSeconds),
            Trim(body.Value.RequestedBy) ?? "anonymous");
        await client.ScheduleNewOrchestrationInstanceAsync(TaskNames.SelfTestOrchestrator, input, new StartOrchestrationOptions(id));
        log.LogInformation("Self-test started: instance {InstanceId}, deadline {Deadline:O}", id, input.Deadline);
        return input;
    }

    /// <summary>Confirms a waiting self-test: raises the confirmation its orchestration waits for.</summary>
    public async Task<Result<SelfTestConfirmation>> ConfirmAsync(Caller caller, string id, Func<Task<Result<string>>> readBody,
        DurableTaskClient client, CancellationToken ct)
    {
        if (SelfTestQueries.NotAnOperator(caller) is { } refused) return refused;
        Result<ConfirmRequest> body = await CommandBody.ReadWithoutSchemaAsync<ConfirmRequest>(readBody);
        if (!body.Ok) return body.Problem;
        // The table row is the record of where the self-test stands; the orchestration writes it before it waits.
        if (await queries.RowAsync(id, ct) is not { } row) return Problem.NotFound($"No self-test '{id}'.");
        if (row.GetString("Status") != SelfTestStatus.Waiting)
            return Problem.Conflict($"Self-test '{id}' is not waiting for a confirmation.");
        var confirmation = new SelfTestConfirmation(Trim(body.Value.ConfirmedBy) ?? "anonymous");
        await client.RaiseEventAsync(id, SelfTestOrchestrator.ConfirmedEvent, confirmation);
        return confirmation;
    }

    static string? Trim(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim()[..Math.Min(s.Trim().Length, 100)];
}
