using Azure;
using Eval.Workflows.Domain;
using Eval.Workflows.Outbox;
using Eval.Workflows.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Eval.Application.Evaluations;

/// <summary>
/// A person's human step, as the API hands it over: who, which evaluation, how to read the body as sent (only once the
/// caller may take the step), and the operation of its Idempotency-Key (null without one).
/// </summary>
public sealed record StepCommand(Caller Caller, string CampaignId, string BranchId, Func<Task<Result<string>>> ReadBody, string? Operation);

/// <summary>A step handed to the branch's workflow, which decides and records it a moment later.</summary>
public sealed record StepTaken(string CampaignId, string BranchId, int Round);

/// <summary>An evaluation as a command finds it: the caller, the campaign's definition, the record and its ETag.</summary>
public sealed record EvaluationContext(Caller Caller, CampaignDefinition Definition, EvaluationRecord Evaluation, ETag ETag);

/// <summary>
/// Every human step (<see cref="HumanStep"/>) through one pipeline: authorize (the step's role in scope, or its overdue
/// role once overdue) → validate (the step's schema and rules) → idempotency (a repeat resumes its own accepted action)
/// → stage and the step's own refusals → claim with its outbox entry → raise the event to the workflow. The workflow
/// decides and records; see docs/workflows.md, "The outbox", for what makes an accepted step safe from loss.
/// </summary>
public sealed class EvaluationSteps(CampaignAccess access, EvaluationStore evaluations, EvidenceStore evidence, AcceptedActionRelay relay,
    OutboxBinding binding, TimeProvider clock, ILogger<EvaluationSteps> log)
{
    public async Task<Result<StepTaken>> TakeAsync(HumanStep step, StepCommand command, Result<EvaluationContext> loaded,
        DurableTaskClient client, CancellationToken ct)
    {
        if (!loaded.Ok) return loaded.Problem;
        var (caller, definition, evaluation, _) = loaded.Value;
        Result<string> role = ActingRole(step, loaded.Value);
        if (!role.Ok) return role.Problem;

        Result<object> body = await CommandBody.ReadAsync(step.BodyType, command.ReadBody,
            await step.SchemaAsync(definition, evaluation.Category));
        if (!body.Ok) return body.Problem;
        // The branch's rubric is its category's, when the campaign scores that category its own way.
        Rubric rubric = definition.RubricFor(evaluation.Category);
        if (step.Validate(body.Value) is { Count: > 0 } errors) return Problem.Validation(errors);
        if (step.ValidateFor(body.Value, rubric) is { Count: > 0 } rubricErrors) return Problem.Validation(rubricErrors);
        object stepBody = body.Value;
        if (step.CitesEvidence(stepBody, rubric))
        {
            // One partition: the branch's files in this campaign, bounded by its quota.
            var files = await evidence.ListAsync(command.CampaignId, command.BranchId, ct);
            (stepBody, var citeErrors) = step.CiteEvidence(stepBody, files, definition, evaluation);
            if (citeErrors.Count > 0) return Problem.Validation(citeErrors);
        }

        StepEvent accepted = step.Accept(evaluation.Round, stepBody, new Actor(caller.Id, caller.Name, role.Value), clock.GetUtcNow());
        string claim = step.Claim(evaluation.Round, caller.Id);
        AcceptedAction action = binding.Bind(command.CampaignId, command.BranchId,
            AcceptedAction.Of(EvaluationStore.ClaimEntry(claim, command.Operation), accepted));
        // A repeat of a request that claimed and then died before raising its event finishes it, as first accepted (if the
        // kept entry is bound to the claim; else this request's own, which the key binds to the same body).
        if (EvaluationStore.ClaimedBy(evaluation, claim, command.Operation))
            action = relay.BoundUnsettled(evaluation).FirstOrDefault(a => a.Claim == action.Claim) ?? action;
        else
        {
            // Its first attempt was accepted, answered nothing (its process died) and the workflow has taken it in since.
            if (EvaluationStore.ClaimedAtStageBy(evaluation, step.Stage, command.Operation))
                return new StepTaken(command.CampaignId, command.BranchId, evaluation.Round);
            if (evaluation.Stage != step.Stage) return NotNow(evaluation);
            if (step.Refuse(evaluation, definition, accepted) is { } refusal) return Problem.Conflict(refusal);
            if (await ClaimAsync(step, loaded.Value, claim, action, client, ct) is { } taken) return taken;
        }

        await AcceptedActionRelay.RaiseAsync(client, evaluation, action);
        log.LogInformation(
            "Accepted {Step} for {CampaignId}/{BranchId} round {Round} from {CallerId} as {Role}, raised to instance {InstanceId}",
            step.Name, command.CampaignId, command.BranchId, evaluation.Round, caller.Id, role.Value,
            InstanceIds.Evaluation(command.CampaignId, command.BranchId));
        return new StepTaken(command.CampaignId, command.BranchId, evaluation.Round);
    }

    /// <summary>
    /// The campaign's definition and the evaluation, read together (each read waits its turn at a busy storage emulator,
    /// and every step reads both), for a caller whose scope covers the branch.
    /// </summary>
    public async Task<Result<EvaluationContext>> LoadAsync(Caller caller, string campaignId, string branchId, CancellationToken ct)
    {
        // Checked before any table is asked: a key with '#', '?' or a control character is refused by the storage service.
        if (!CampaignAccess.IsCampaignId(campaignId)) return Problem.NotFound($"No campaign '{campaignId}'.");
        bool isBranch = UnitPath.IsValid(branchId) && UnitPath.KindOf(branchId) == UnitKinds.Branch;
        var campaignLoad = access.LoadStartedAsync(campaignId, ct);
        var evaluationLoad = isBranch && caller.Covers(branchId) ? evaluations.GetAsync(campaignId, branchId, ct) : null;
        await Task.WhenAll(evaluationLoad is null ? [campaignLoad] : new Task[] { campaignLoad, evaluationLoad });
        var (definition, notStarted, missing) = campaignLoad.Result;
        if (missing is not null) return missing;
        if (!isBranch) return Problem.NotFound($"No evaluation for '{branchId}' in campaign '{campaignId}'.");
        if (!caller.Covers(branchId)) return Problem.Forbidden("This branch is outside your unit.");
        if (notStarted is not null)
            return notStarted.Status == CampaignStatus.Created
                ? Problem.NotFound($"Campaign '{campaignId}' has not started.")
                : Problem.Conflict("The campaign is still starting its evaluations; try again shortly.");
        if (evaluationLoad!.Result is not { } evaluation)
            return Problem.NotFound($"No evaluation for '{branchId}' in campaign '{campaignId}'.");
        return new EvaluationContext(caller, definition!, evaluation.Record, evaluation.ETag);
    }

    /// <summary>
    /// The role the caller takes the step in: the step's role in scope, or its overdue role in scope once the evaluation
    /// is overdue at the step's stage; else the 403.
    /// </summary>
    Result<string> ActingRole(HumanStep step, EvaluationContext ctx)
    {
        string branchId = ctx.Evaluation.BranchId;
        if (ctx.Caller.CanActOn(step.Role, branchId)) return step.Role;
        if (step.OverdueRole is not { } overdueRole || !ctx.Caller.CanActOn(overdueRole, branchId)) return Problem.Forbidden(step.NotYours);
        return ctx.Evaluation.Stage == step.Stage && ctx.Evaluation.IsOverdueAt(clock.GetUtcNow())
            ? overdueRole
            : Problem.Forbidden(step.NotYetOverdue);
    }

    /// <summary>
    /// Claims the step on the stored record and keeps its event in the record's outbox, in one ETag-conditional write,
    /// re-checking stage and round on the latest record: of two simultaneous decisions one gets through, the other a
    /// 409, and no accepted step is dropped later. A refusal also raises again what an earlier request accepted and
    /// never delivered (its raise failed, or its process died): a client retrying after an error gets a 409 that is true.
    /// </summary>
    async Task<Problem?> ClaimAsync(HumanStep step, EvaluationContext ctx, string claim, AcceptedAction action, DurableTaskClient client,
        CancellationToken ct)
    {
        EvaluationRecord seen = ctx.Evaluation;
        string? refused;
        try
        {
            refused = await evaluations.ClaimAsync((seen, ctx.ETag), action, r =>
                r.Stage != step.Stage || r.Round != seen.Round ? $"The evaluation moved on: it is {r.Stage} (round {r.Round})."
                : EvaluationStore.HasClaim(r, claim) ? step.Taken
                : step.RefuseAtClaim(r, ctx.Definition, action.Step), ct);
        }
        catch (RecordTooLargeException)
        {
            return Problem.TooLarge("This text, with what the evaluation already holds, is more than a stored evaluation can keep: " +
                "shorten the summary, comments or evidence.");
        }
        if (refused is null) return null;
        await relay.BesideRefusalAsync(() => relay.RelayOverdueAsync(client, seen, ct), $"{seen.CampaignId}/{seen.BranchId}");
        return Problem.Conflict(refused);
    }

    static Problem NotNow(EvaluationRecord e) => new(ProblemKind.Conflict, "wrong-stage", "The evaluation is not at this stage.",
        $"The evaluation is {e.Stage}{(e.Outcome is null ? "" : $" ({e.Outcome})")}.",
        new Dictionary<string, object?> { ["stage"] = e.Stage });
}
