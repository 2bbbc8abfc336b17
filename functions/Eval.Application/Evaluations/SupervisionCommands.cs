using Eval.Workflows.Domain;
using Eval.Workflows.Outbox;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Eval.Application.Evaluations;

public sealed record UrgeRequest(string Message);

/// <summary>A new deadline for the waiting step: a moment (<see cref="Deadline"/>) or a duration added to the current one.</summary>
public sealed record DeadlineExtensionRequest(DateTimeOffset? Deadline, string? ExtendBy, string Reason);

/// <summary>An urging or extension handed to the evaluation's workflow, which records it a moment later.</summary>
public sealed record SupervisionAccepted(string CampaignId, string BranchId, string Id, string Kind, string Stage, int Round,
    DateTimeOffset? Deadline, DateTimeOffset? MayUrgeAgainAt);

/// <summary>
/// Supervision (督办) of the step an evaluation waits for: urging it (催办: a superior of whom it waits on, at most once a
/// day an evaluation, with a message) and extending its deadline (延期: the organization department, or the county scorer for
/// the steps below the county's own). Each is kept on the evaluation's record with its MAC, conditional on the ETag (of two
/// simultaneous urgings one is accepted), then raised to the workflow, which records it in the history and the audit chain,
/// re-arms the step's timer for an extension, and has the people it waits on told. docs/workflows.md, "Supervision".
/// </summary>
public sealed class SupervisionCommands(EvaluationSteps steps, EvaluationStore evaluations, OutboxBinding binding,
    AcceptedActionRelay relay, TimeProvider clock, ILogger<SupervisionCommands> log)
{
    /// <summary>The latest an extension may set a deadline: a year from now.</summary>
    public static readonly TimeSpan MaxExtension = TimeSpan.FromDays(365);

    static readonly string[] Urgers = [Roles.TownshipReviewer, Roles.CountyScorer, Roles.OrgDepartment];
    static readonly string[] Extenders = [Roles.OrgDepartment, Roles.CountyScorer];

    public async Task<Result<SupervisionAccepted>> UrgeAsync(Caller caller, string campaignId, string branchId,
        Func<Task<Result<string>>> readBody, string? operation, DurableTaskClient client, CancellationToken ct)
    {
        Result<EvaluationContext> loaded = await steps.LoadAsync(caller, campaignId, branchId, ct);
        if (!loaded.Ok) return loaded.Problem;
        EvaluationRecord seen = loaded.Value.Evaluation;
        Result<string> role = ActingRole(caller, branchId, seen.Stage, Urgers, SupervisionRules.MayUrge);
        if (!role.Ok) return role.Problem;
        Result<UrgeRequest> body = await CommandBody.ReadAsync<UrgeRequest>(readBody, await SchemaCatalog.GetAsync(SchemaCatalog.Urge));
        if (!body.Ok) return body.Problem;
        if (Unsupervisable(seen) is { } notNow) return notNow;

        DateTimeOffset now = clock.GetUtcNow();
        var urge = new Supervision(IdOf(operation), SupervisionKinds.Urge, seen.Stage, seen.Round,
            new Actor(caller.Id, caller.Name, role.Value), now, body.Value.Message);
        return await KeepAndRaiseAsync(loaded.Value, urge, client, ct, record =>
            record.Supervision.LastUrgedAt is { } last && last + SupervisionRules.UrgeInterval > now
                ? new Problem(ProblemKind.Conflict, "urged-recently", "This evaluation was urged less than a day ago.",
                    $"It was urged at {last:O}; it may be urged again from {last + SupervisionRules.UrgeInterval:O}.",
                    new Dictionary<string, object?> { ["mayUrgeAt"] = last + SupervisionRules.UrgeInterval })
                : null);
    }

    public async Task<Result<SupervisionAccepted>> ExtendAsync(Caller caller, string campaignId, string branchId,
        Func<Task<Result<string>>> readBody, string? operation, DurableTaskClient client, CancellationToken ct)
    {
        Result<EvaluationContext> loaded = await steps.LoadAsync(caller, campaignId, branchId, ct);
        if (!loaded.Ok) return loaded.Problem;
        EvaluationRecord seen = loaded.Value.Evaluation;
        Result<string> role = ActingRole(caller, branchId, seen.Stage, Extenders, SupervisionRules.MayExtend);
        if (!role.Ok) return role.Problem;
        Result<DeadlineExtensionRequest> body = await CommandBody.ReadAsync<DeadlineExtensionRequest>(readBody,
            await SchemaCatalog.GetAsync(SchemaCatalog.DeadlineExtension));
        if (!body.Ok) return body.Problem;
        DeadlineExtensionRequest request = body.Value;
        TimeSpan extendBy = TimeSpan.Zero;
        if (request.ExtendBy is { } by && !IsoDuration.TryParse(by, out extendBy))
            return Problem.Validation(
                [new FieldError("/extendBy", "must be an ISO-8601 duration in weeks, days, hours, minutes or seconds")]);
        if (Unsupervisable(seen) is { } notNow) return notNow;

        DateTimeOffset now = clock.GetUtcNow();
        DateTimeOffset current = Current(seen);
        DateTimeOffset deadline = request.Deadline ?? current + extendBy;
        string pointer = request.Deadline is null ? "/extendBy" : "/deadline";
        if (deadline <= current || deadline <= now)
            return Problem.Validation([new FieldError(pointer, $"the new deadline ({deadline:O}) must be later than the current one " +
                $"({current:O}) and than now")]);
        if (deadline > now + MaxExtension)
            return Problem.Validation([new FieldError(pointer, $"the new deadline must be within {MaxExtension.TotalDays} days from now")]);

        var extension = new Supervision(IdOf(operation), SupervisionKinds.Extension, seen.Stage, seen.Round,
            new Actor(caller.Id, caller.Name, role.Value), now, request.Reason) { Deadline = deadline };
        return await KeepAndRaiseAsync(loaded.Value, extension, client, ct, record =>
            Current(record) is var latest && deadline <= latest
                ? Problem.Conflict($"The deadline was extended to {latest:O} meanwhile; ask for a later one.")
                : SelfAssessmentMissed(record, now));
    }

    /// <summary>
    /// The caller's role for the supervision: the most senior of theirs that may supervise the waiting step, in scope of the
    /// branch. A caller with none of the roles that supervise anything, or none that supervises this step, gets the 403.
    /// </summary>
    static Result<string> ActingRole(Caller caller, string branchId, string stage, string[] any, Func<string, IReadOnlyList<string>> mayFor)
    {
        if (!any.Any(r => caller.CanActOn(r, branchId)))
            return Problem.Forbidden("Only the roles above the one a step waits on supervise it, in scope of the branch.");
        if (!SupervisionRules.IsWaitingStep(stage)) return Roles.OrgDepartment; // refused 409 below: the evaluation is not waiting
        IReadOnlyList<string> may = mayFor(stage);
        return Roles.Working.Reverse().FirstOrDefault(r => may.Contains(r) && caller.CanActOn(r, branchId)) is { } role
            ? (Result<string>)role
            : Problem.Forbidden($"The step of {stage} is supervised by {string.Join(", ", may)} covering the branch.");
    }

    /// <summary>The 409 of an evaluation with no step to supervise, or whose workflow cannot take supervision.</summary>
    static Problem? Unsupervisable(EvaluationRecord e)
    {
        if (!SupervisionRules.IsWaitingStep(e.Stage))
            return new Problem(ProblemKind.Conflict, "not-waiting", "The evaluation waits for no one's step.",
                $"The evaluation is {e.Stage}{(e.Outcome is null ? "" : $" ({e.Outcome})")}.",
                new Dictionary<string, object?> { ["stage"] = e.Stage });
        if ((e.WorkflowVersion ?? 0) < SupervisionRules.FromVersion)
            return Problem.Conflict("This evaluation was started before urgings and extensions existed: its workflow cannot take them.");
        return null;
    }

    /// <summary>The deadline the waiting step has now: its record's, or a later one an extension not yet taken in set.</summary>
    static DateTimeOffset Current(EvaluationRecord e) =>
        e.Supervision.PendingDeadline(e.Stage, e.Round) is { } pending && pending > (e.StageDeadline ?? pending)
            ? pending : e.StageDeadline ?? DateTimeOffset.MinValue;

    // A missed self-assessment ends the evaluation: there is nothing left to extend.
    static Problem? SelfAssessmentMissed(EvaluationRecord e, DateTimeOffset now) =>
        e.Stage == Stages.AwaitingSelfAssessment && now > Current(e)
            ? new Problem(ProblemKind.Conflict, "deadline-passed", "The deadline has passed.",
                $"The self-assessment was due by {Current(e):O}: a missed self-assessment ends the evaluation, so it is extended " +
                "before its deadline.", new Dictionary<string, object?> { ["deadline"] = Current(e) })
            : null;

    /// <summary>
    /// Keeps the supervision on the record (unless <paramref name="refuse"/>, asked of the latest record, or a change of its
    /// stage or round refuses it), then raises it. A repeat of a keyed request finds what its first attempt kept and raises it
    /// again, or answers as the first did once the workflow has taken it in.
    /// </summary>
    async Task<Result<SupervisionAccepted>> KeepAndRaiseAsync(EvaluationContext ctx, Supervision action, DurableTaskClient client,
        CancellationToken ct, Func<EvaluationRecord, Problem?> refuse)
    {
        EvaluationRecord seen = ctx.Evaluation;
        if (seen.Supervision.Accepted.Contains(action.Id))
        {
            PendingSupervision? kept = relay.BoundSupervision(seen).FirstOrDefault(p => p.Action.Id == action.Id);
            if (kept is not null) await AcceptedActionRelay.RaiseAsync(client, seen, kept.Action, ct);
            return Accepted(seen, kept?.Action ?? action);
        }
        if (refuse(seen) is { } refused) return refused;

        PendingSupervision pending = binding.Bind(seen.CampaignId, seen.BranchId, action);
        Problem? lost = null;
        string? refusal;
        try
        {
            refusal = await evaluations.SuperviseAsync((seen, ctx.ETag), record =>
            {
                if (record.Stage != seen.Stage || record.Round != seen.Round)
                    return (null, $"The evaluation moved on: it is {record.Stage} (round {record.Round}).");
                if ((lost = refuse(record)) is not null) return (null, lost.Detail);
                SupervisionState s = record.Supervision;
                return (s with
                {
                    Pending = [.. s.Pending, pending], Accepted = [.. s.Accepted, action.Id],
                    LastUrgedAt = action.Kind == SupervisionKinds.Urge ? action.At : s.LastUrgedAt,
                }, null);
            }, ct);
        }
        catch (RecordTooLargeException)
        {
            return Problem.TooLarge("The evaluation's record cannot hold more: shorten the text.");
        }
        if (refusal is not null) return lost ?? Problem.Conflict(refusal);

        await AcceptedActionRelay.RaiseAsync(client, seen, action, ct);
        log.LogInformation("Accepted the {Kind} {Id} of {CampaignId}/{BranchId} at {Stage} round {Round} from {CallerId} as {Role}",
            action.Kind, action.Id, seen.CampaignId, seen.BranchId, seen.Stage, seen.Round, action.By.Id, action.By.Role);
        return Accepted(seen, action);
    }

    static SupervisionAccepted Accepted(EvaluationRecord e, Supervision a) => new(e.CampaignId, e.BranchId, a.Id, a.Kind, a.Stage, a.Round,
        a.Deadline, a.Kind == SupervisionKinds.Urge ? a.At + SupervisionRules.UrgeInterval : null);

    /// <summary>From the request's Idempotency-Key operation (64 hex digits) when it has one, so its repeat finds it.</summary>
    static string IdOf(string? operation) =>
        "sup-" + (operation is { Length: >= 32 } op ? op[..32] : Guid.CreateVersion7().ToString("N"));
}
