using Azure;
using Azure.Data.Tables;
using Eval.Api.Endpoints;
using Eval.Api.Auth;
using Eval.Api.Http;
using Eval.Application;
using Eval.Application.Evaluations;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;

namespace Eval.Api.Handlers;

/// <summary>
/// The human steps of an evaluation (each taken by <see cref="EvaluationSteps"/>) and reading evaluations.
/// </summary>
public sealed class EvaluationHandlers(Idempotency idempotency, Authenticator auth, CampaignAccess access, EvaluationSteps steps,
    EvaluationStore evaluations, TimeProvider clock)
{
    public const int MaxPageSize = 200;

    const string ReadersOnly =
        "Evaluations are read by the branch's secretary and the reviewers, scorers and organization department over it.";

    /// <summary>A human step: the request as a <see cref="StepCommand"/>, its result as 202 to the evaluation.</summary>
    public Task<IResult> TakeStepAsync(HumanStep step, HttpRequest request, DurableTaskClient client, string campaignId, string branchId) =>
        idempotency.RunAsync(request, () => LoadAsync(request, campaignId, branchId), async loaded =>
        {
            if (loaded.Denied is not null) return loaded.Denied;
            var command = new StepCommand(loaded.Caller!, campaignId, branchId, () => RequestJson.ReadBodyAsync(request),
                Idempotency.OperationOf(request));
            Result<StepTaken> taken = await steps.TakeAsync(step, command, loaded.Evaluation, client, request.HttpContext.RequestAborted);
            return taken.Ok
                ? Results.Accepted($"/{EvalApi.Prefix}/campaigns/{campaignId}/evaluations/{branchId}",
                    new StepAccepted(campaignId, branchId, true))
                : taken.Problem.ToResult();
        });

    public async Task<IResult> GetAsync(HttpRequest request, string campaignId, string branchId)
    {
        var (denied, _, loaded) = await LoadAsync(request, campaignId, branchId);
        if (denied is not null) return denied;
        if (!loaded.Ok) return loaded.Problem.ToResult();
        // The branch's own secretary, and the reviewers, scorers and department over it; members read no evaluation.
        if (!loaded.Value.Caller.WorksOn(branchId)) return Problems.Forbidden(ReadersOnly);
        return Results.Ok(View(loaded.Value.Evaluation, clock.GetUtcNow()));
    }

    public async Task<IResult> ListAsync(HttpRequest request, string campaignId)
    {
        var (caller, denied) = await auth.AuthenticateAsync(request);
        if (denied is not null) return denied;
        if (!caller!.IsWorking) return Problems.Forbidden(ReadersOnly);
        var (campaign, _, missing) = await access.LoadAsync(campaignId, request.HttpContext.RequestAborted);
        if (missing is not null) return missing.ToResult();
        if (!CampaignAccess.CanSee(caller, campaign!)) return Problems.Forbidden("This campaign is outside your unit.");

        IQueryCollection q = request.Query;
        // Default scope: the narrower of the caller's unit and the campaign's unit.
        string unit = q["unit"].FirstOrDefault() ?? (caller!.Covers(campaign!.Definition.Unit) ? campaign.Definition.Unit : caller.Unit);
        if (!UnitPath.IsValid(unit)) return Problems.Validation([new FieldError("/query/unit", "not a unit id")]);
        if (!caller!.Covers(unit)) return Problems.Forbidden($"Unit '{unit}' is outside your unit '{caller.Unit}'.");
        string? stage = q["stage"].FirstOrDefault();
        if (stage is not null && !Stages.All.Contains(stage))
            return Problems.Validation([new FieldError("/query/stage", $"one of {string.Join(", ", Stages.All)}")]);
        int pageSize = 50;
        if (q["pageSize"].FirstOrDefault() is { } size && (!int.TryParse(size, out pageSize) || pageSize is < 1 or > MaxPageSize))
            return Problems.Validation([new FieldError("/query/pageSize", $"an integer from 1 to {MaxPageSize}")]);
        string? token = null;
        if (q["continuationToken"].FirstOrDefault() is { } given && (token = PageToken.Open(given, campaignId, unit, stage)) is null)
            return Problems.Validation([new FieldError("/query/continuationToken",
                "not a token this API gave for this campaign, unit and stage")]);

        try
        {
            // The filter pins the campaign partition and the unit's key range; a continuation token only moves within it.
            await foreach (Page<TableEntity> page in evaluations.Query(campaignId, unit, stage, pageSize: pageSize)
                               .AsPages(token, pageSize).WithCancellation(request.HttpContext.RequestAborted))
            {
                DateTimeOffset now = clock.GetUtcNow();
                return Results.Ok(new EvaluationPage([.. page.Values.Select(e => Summary(EvaluationStore.FromEntity(e), now))],
                    page.ContinuationToken is { } next ? PageToken.Seal(next, campaignId, unit, stage) : null));
            }
            return Results.Ok(new EvaluationPage([], null));
        }
        catch (RequestFailedException e) when (e.Status is 400 or 404)
        {
            return Problems.Validation([new FieldError("/query/continuationToken", "not a token this API gave")]);
        }
    }

    async Task<(IResult? Denied, Caller? Caller, Result<EvaluationContext> Evaluation)> LoadAsync(HttpRequest request, string campaignId,
        string branchId)
    {
        var (caller, denied) = await auth.AuthenticateAsync(request);
        // Denied: the evaluation is not read, and the 401 or 403 is the answer.
        if (denied is not null) return (denied, null, Problem.Forbidden("Not authenticated."));
        return (null, caller, await steps.LoadAsync(caller!, campaignId, branchId, request.HttpContext.RequestAborted));
    }

    static EvaluationSummary Summary(EvaluationRecord e, DateTimeOffset now) =>
        new(e.BranchId, e.BranchName, e.Stage, e.IsOverdueAt(now), e.Outcome, e.FinalScore, e.UnityShare, e.Round, e.StageDeadline);

    static EvaluationView View(EvaluationRecord e, DateTimeOffset now) =>
        new(e.CampaignId, e.BranchId, e.BranchName, e.Stage, e.IsOverdueAt(now), e.Outcome, e.FinalScore, e.UnityShare,
            e.Round, e.StageDeadline, e.Submission, e.Review, e.Scores, e.History);
}
