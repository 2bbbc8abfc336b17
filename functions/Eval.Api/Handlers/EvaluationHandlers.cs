using Eval.Api.Endpoints;
using Eval.Api.Auth;
using Eval.Api.Http;
using Eval.Application;
using Eval.Application.Evaluations;
using Eval.Workflows.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;

namespace Eval.Api.Handlers;

/// <summary>
/// The human steps of an evaluation (each taken by <see cref="EvaluationSteps"/>) and reading evaluations
/// (<see cref="EvaluationQueries"/>).
/// </summary>
public sealed class EvaluationHandlers(Idempotency idempotency, Authenticator auth, EvaluationSteps steps, EvaluationQueries queries,
    JointVetoCommands vetoes)
{
    /// <summary>A joint veto (联审) by the organization department: 202 to the evaluation, which ends (or is) vetoed.</summary>
    public Task<IResult> RecordJointVetoAsync(HttpRequest request, DurableTaskClient client, string campaignId, string branchId) =>
        idempotency.RunAsync(request, () => auth.AuthenticateAsync(request), async caller =>
        {
            if (!caller.Ok) return caller.Problem.ToResult();
            Result<JointVetoRecorded> recorded = await vetoes.RecordAsync(caller.Value, campaignId, branchId,
                () => RequestJson.ReadBodyAsync(request), client, request.HttpContext.RequestAborted);
            return recorded.Ok
                ? TypedResults.Accepted($"/{EvalApi.Prefix}/campaigns/{campaignId}/evaluations/{branchId}", recorded.Value)
                : recorded.Problem.ToResult();
        });

    /// <summary>A human step: the request as a <see cref="StepCommand"/>, its result as 202 to the evaluation.</summary>
    public Task<IResult> TakeStepAsync(HumanStep step, HttpRequest request, DurableTaskClient client, string campaignId, string branchId) =>
        idempotency.RunAsync(request, () => LoadAsync(request, campaignId, branchId), async loaded =>
        {
            // Not loaded: the caller's 401 or 403, or the evaluation's 404 or 409, is the answer.
            if (!loaded.Ok) return loaded.Problem.ToResult();
            var command = new StepCommand(loaded.Value.Caller, campaignId, branchId, () => RequestJson.ReadBodyAsync(request),
                Idempotency.OperationOf(request));
            Result<StepTaken> taken = await steps.TakeAsync(step, command, loaded, client, request.HttpContext.RequestAborted);
            return taken.Ok
                ? TypedResults.Accepted($"/{EvalApi.Prefix}/campaigns/{campaignId}/evaluations/{branchId}",
                    new StepAccepted(campaignId, branchId, true))
                : taken.Problem.ToResult();
        });

    public async Task<Results<Ok<EvaluationView>, ProblemHttpResult>> GetAsync(HttpRequest request, string campaignId, string branchId) =>
        (await auth.AuthenticateAsync(request)
            .ThenAsync(caller => queries.GetAsync(caller, campaignId, branchId, request.HttpContext.RequestAborted))).ToOk();

    public async Task<Results<Ok<EvaluationPage>, ProblemHttpResult>> ListAsync(HttpRequest request, string campaignId)
    {
        IQueryCollection q = request.Query;
        return (await auth.AuthenticateAsync(request).ThenAsync(caller => queries.ListAsync(caller, campaignId,
            q["unit"].FirstOrDefault(), q["stage"].FirstOrDefault(), q["pageSize"].FirstOrDefault(),
            q["continuationToken"].FirstOrDefault(), request.HttpContext.RequestAborted))).ToOk();
    }

    /// <summary>The caller and the evaluation a step acts on, or the problem that stops it.</summary>
    Task<Result<EvaluationContext>> LoadAsync(HttpRequest request, string campaignId, string branchId) =>
        auth.AuthenticateAsync(request)
            .ThenAsync(caller => steps.LoadAsync(caller, campaignId, branchId, request.HttpContext.RequestAborted));
}
