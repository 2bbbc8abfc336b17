using Azure;
using Azure.Data.Tables;
using Eval.Api.Auth;
using Eval.Api.Http;
using Eval.Workflows.Domain;
using Eval.Workflows.Outbox;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.DurableTask.Client;

namespace Eval.Api.Handlers;

/// <summary>
/// The three human steps of an evaluation (self-assessment, township review, county score) and reading
/// evaluations. Each step is checked against the stored record (stage, round, role, scope) and then raised as a
/// typed event into the evaluation's orchestration, which decides and records. The event is kept with the claim (the
/// record's outbox), so an accepted action whose raise fails is raised again later instead of lost.
/// </summary>
public sealed class EvaluationHandlers(Idempotency idempotency, Authenticator auth, CampaignAccess access, EvaluationStore evaluations, AcceptedActionRelay relay, TimeProvider clock,
    ILogger<EvaluationHandlers> log)
{
    public const int MaxPageSize = 200;

    const string ReadersOnly =
        "Evaluations are read by the branch's secretary and the reviewers, scorers and organization department over it.";

    public Task<IResult> SelfAssessmentAsync(HttpRequest request, DurableTaskClient client, string campaignId, string branchId) =>
        idempotency.RunAsync(request, () => LoadAsync(request, campaignId, branchId), loaded => SelfAssessmentOnceAsync(request, client, loaded, campaignId, branchId));

    async Task<IResult> SelfAssessmentOnceAsync(HttpRequest request, DurableTaskClient client, (Context?, IResult?) loaded, string campaignId, string branchId)
    {
        var (ctx, problem) = loaded;
        if (problem is not null) return problem;
        Caller caller = ctx!.Caller;
        if (!caller.CanActOn(Roles.BranchSecretary, branchId)) return Problems.Forbidden("Only the branch's secretary submits its self-assessment.");

        var (assessment, invalid) = await RequestJson.ReadAsync<SelfAssessment>(request, SchemaCatalog.SelfAssessment(ctx.Definition));
        if (invalid is not null) return invalid;
        DateTimeOffset now = clock.GetUtcNow();
        string claim = $"{Stages.AwaitingSelfAssessment}:{ctx.Evaluation.Round}";
        string? operation = Idempotency.OperationOf(request);
        AcceptedAction action = AcceptedAction.Of(EvaluationStore.ClaimEntry(claim, operation),
            new SelfAssessmentSubmitted(ctx.Evaluation.Round, assessment!, Act(caller, Roles.BranchSecretary), now));
        // A repeat of a request that claimed and then died before raising its event finishes it (see Idempotency).
        if (EvaluationStore.ClaimedBy(ctx.Evaluation, claim, operation)) action = Resumed(ctx.Evaluation, action);
        else
        {
            if (ctx.Evaluation.Stage != Stages.AwaitingSelfAssessment) return NotNow(ctx.Evaluation);
            // The workflow counts a submission by the time it was accepted here; after the deadline it would not count.
            if (ctx.Evaluation.StageDeadline is { } deadline && now > deadline)
                return Problems.Create(StatusCodes.Status409Conflict, "deadline-passed", "The deadline has passed.",
                    $"Self-assessments were due by {deadline:O}.", new Dictionary<string, object?> { ["deadline"] = deadline });
            if (await ClaimAsync(client, ctx, claim, action, Stages.AwaitingSelfAssessment,
                    "A self-assessment for this round was accepted already.", request.HttpContext.RequestAborted) is { } taken)
                return taken;
        }

        await AcceptedActionRelay.RaiseAsync(client, ctx.Evaluation, action);
        LogAccepted("self-assessment", campaignId, branchId, ctx.Evaluation.Round, caller, Roles.BranchSecretary);
        return Accepted(campaignId, branchId);
    }

    public Task<IResult> TownshipReviewAsync(HttpRequest request, DurableTaskClient client, string campaignId, string branchId) =>
        idempotency.RunAsync(request, () => LoadAsync(request, campaignId, branchId), loaded => TownshipReviewOnceAsync(request, client, loaded, campaignId, branchId));

    async Task<IResult> TownshipReviewOnceAsync(HttpRequest request, DurableTaskClient client, (Context?, IResult?) loaded, string campaignId, string branchId)
    {
        var (ctx, problem) = loaded;
        if (problem is not null) return problem;
        EvaluationRecord evaluation = ctx!.Evaluation;
        // The township reviews; once its review is overdue, a county scorer in scope may review instead.
        var (role, forbidden) = ActingRole(ctx, Roles.TownshipReviewer, Roles.CountyScorer, Stages.AwaitingTownshipReview,
            "A county scorer may review only when the township review is overdue.", "Only a township reviewer in scope reviews this branch.");
        if (forbidden is not null) return forbidden;

        var (review, invalid) = await RequestJson.ReadAsync<TownshipReview>(request, await SchemaCatalog.GetAsync(SchemaCatalog.TownshipReview));
        if (invalid is not null) return invalid;
        IReadOnlyList<FieldError> errors = ReviewCommentRules.Validate(review!);
        if (errors.Count > 0) return Problems.Validation(errors);
        string claim = $"{Stages.AwaitingTownshipReview}:{evaluation.Round}";
        string? operation = Idempotency.OperationOf(request);
        AcceptedAction action = AcceptedAction.Of(EvaluationStore.ClaimEntry(claim, operation),
            new TownshipReviewed(evaluation.Round, review!, Act(ctx.Caller, role!), clock.GetUtcNow()));
        if (EvaluationStore.ClaimedBy(evaluation, claim, operation)) action = Resumed(evaluation, action);
        else
        {
            if (evaluation.Stage != Stages.AwaitingTownshipReview) return NotNow(evaluation);
            if (review!.Decision == ReviewDecisions.Return && evaluation.Round >= ctx.Definition.MaxReturns)
                return Problems.Conflict($"This self-assessment was returned {evaluation.Round} times already (the limit): approve or reject it.");
            if (await ClaimAsync(client, ctx, claim, action, Stages.AwaitingTownshipReview,
                    "Another review of this self-assessment was accepted at the same time.", request.HttpContext.RequestAborted) is { } taken)
                return taken;
        }

        await AcceptedActionRelay.RaiseAsync(client, evaluation, action);
        LogAccepted("township-review", campaignId, branchId, evaluation.Round, ctx.Caller, role!);
        return Accepted(campaignId, branchId);
    }

    public Task<IResult> CountyScoreAsync(HttpRequest request, DurableTaskClient client, string campaignId, string branchId) =>
        idempotency.RunAsync(request, () => LoadAsync(request, campaignId, branchId), loaded => CountyScoreOnceAsync(request, client, loaded, campaignId, branchId));

    async Task<IResult> CountyScoreOnceAsync(HttpRequest request, DurableTaskClient client, (Context?, IResult?) loaded, string campaignId, string branchId)
    {
        var (ctx, problem) = loaded;
        if (problem is not null) return problem;
        EvaluationRecord evaluation = ctx!.Evaluation;
        // County scorers score; once scoring is overdue, the organization department in scope may score instead.
        var (role, forbidden) = ActingRole(ctx, Roles.CountyScorer, Roles.OrgDepartment, Stages.AwaitingCountyScore,
            "The organization department may score only when county scoring is overdue.", "Only a county scorer in scope scores this branch.");
        if (forbidden is not null) return forbidden;

        var (score, invalid) = await RequestJson.ReadAsync<CountyScore>(request, SchemaCatalog.CountyScore(ctx.Definition));
        if (invalid is not null) return invalid;
        string scorers = $"{Stages.AwaitingCountyScore}:{evaluation.Round}:";
        string claim = scorers + ctx.Caller.Id;
        string? operation = Idempotency.OperationOf(request);
        AcceptedAction action = AcceptedAction.Of(EvaluationStore.ClaimEntry(claim, operation),
            new CountyScored(evaluation.Round, score!, Act(ctx.Caller, role!), clock.GetUtcNow()));
        if (EvaluationStore.ClaimedBy(evaluation, claim, operation)) action = Resumed(evaluation, action);
        else
        {
            if (evaluation.Stage != Stages.AwaitingCountyScore) return NotNow(evaluation);
            if (evaluation.Scores.Any(s => s.By.Id == ctx.Caller.Id))
                return Problems.Conflict("You have scored this branch already; each scorer scores once.");
            int needed = ctx.Definition.ScorersPerBranch;
            if (await ClaimAsync(client, ctx, claim, action, Stages.AwaitingCountyScore,
                    "You have scored this branch already; each scorer scores once.", request.HttpContext.RequestAborted,
                    r => r.Claims.Count(c => c.StartsWith(scorers, StringComparison.Ordinal)) >= needed ? $"{needed} scores were accepted already." : null) is { } taken)
                return taken;
        }

        await AcceptedActionRelay.RaiseAsync(client, evaluation, action);
        LogAccepted("county-score", campaignId, branchId, evaluation.Round, ctx.Caller, role!);
        return Accepted(campaignId, branchId);
    }

    public async Task<IResult> GetAsync(HttpRequest request, string campaignId, string branchId)
    {
        var (ctx, problem) = await LoadAsync(request, campaignId, branchId);
        if (problem is not null) return problem;
        // The branch's own secretary, and the reviewers, scorers and department over it; members read no evaluation.
        if (!ctx!.Caller.WorksOn(branchId)) return Problems.Forbidden(ReadersOnly);
        return Results.Ok(View(ctx.Evaluation, clock.GetUtcNow()));
    }

    public async Task<IResult> ListAsync(HttpRequest request, string campaignId)
    {
        var (caller, denied) = await auth.AuthenticateAsync(request);
        if (denied is not null) return denied;
        if (!caller!.IsWorking) return Problems.Forbidden(ReadersOnly);
        var (campaign, _, missing) = await access.LoadAsync(campaignId, request.HttpContext.RequestAborted);
        if (missing is not null) return missing;
        if (!CampaignAccess.CanSee(caller, campaign!)) return Problems.Forbidden("This campaign is outside your unit.");

        IQueryCollection q = request.Query;
        // Default scope: the narrower of the caller's unit and the campaign's unit.
        string unit = q["unit"].FirstOrDefault() ?? (caller!.Covers(campaign!.Definition.Unit) ? campaign.Definition.Unit : caller.Unit);
        if (!UnitPath.IsValid(unit)) return Problems.Validation([new FieldError("/query/unit", "not a unit id")]);
        if (!caller!.Covers(unit)) return Problems.Forbidden($"Unit '{unit}' is outside your unit '{caller.Unit}'.");
        string? stage = q["stage"].FirstOrDefault();
        if (stage is not null && !Stages.All.Contains(stage)) return Problems.Validation([new FieldError("/query/stage", $"one of {string.Join(", ", Stages.All)}")]);
        int pageSize = 50;
        if (q["pageSize"].FirstOrDefault() is { } size && (!int.TryParse(size, out pageSize) || pageSize is < 1 or > MaxPageSize))
            return Problems.Validation([new FieldError("/query/pageSize", $"an integer from 1 to {MaxPageSize}")]);
        string? token = null;
        if (q["continuationToken"].FirstOrDefault() is { } given && (token = PageToken.Open(given, campaignId, unit, stage)) is null)
            return Problems.Validation([new FieldError("/query/continuationToken", "not a token this API gave for this campaign, unit and stage")]);

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

    sealed record Context(Caller Caller, CampaignDefinition Definition, EvaluationRecord Evaluation, ETag ETag);

    async Task<(Context?, IResult?)> LoadAsync(HttpRequest request, string campaignId, string branchId)
    {
        var (caller, denied) = await auth.AuthenticateAsync(request);
        if (denied is not null) return (null, denied);
        // Checked before any table is asked: a key with '#', '?' or a control character is refused by the storage service.
        if (!CampaignAccess.IsCampaignId(campaignId)) return (null, Problems.NotFound($"No campaign '{campaignId}'."));
        CancellationToken ct = request.HttpContext.RequestAborted;
        bool isBranch = UnitPath.IsValid(branchId) && UnitPath.KindOf(branchId) == UnitKinds.Branch;
        // Both records in one round trip: each read waits its turn at a busy storage emulator, and every action reads both.
        var campaignLoad = access.LoadStartedAsync(campaignId, ct);
        var evaluationLoad = isBranch && caller!.Covers(branchId) ? evaluations.GetAsync(campaignId, branchId, ct) : null;
        await Task.WhenAll(evaluationLoad is null ? [campaignLoad] : new Task[] { campaignLoad, evaluationLoad });
        var (definition, notStarted, missing) = campaignLoad.Result;
        if (missing is not null) return (null, missing);
        if (!isBranch) return (null, Problems.NotFound($"No evaluation for '{branchId}' in campaign '{campaignId}'."));
        if (!caller!.Covers(branchId)) return (null, Problems.Forbidden("This branch is outside your unit."));
        if (notStarted is not null)
            return (null, notStarted.Status == CampaignStatus.Created
                ? Problems.NotFound($"Campaign '{campaignId}' has not started.")
                : Problems.Conflict("The campaign is still starting its evaluations; try again shortly."));
        var evaluation = evaluationLoad!.Result;
        if (evaluation is null) return (null, Problems.NotFound($"No evaluation for '{branchId}' in campaign '{campaignId}'."));
        return (new Context(caller, definition!, evaluation.Value.Record, evaluation.Value.ETag), null);
    }

    /// <summary>
    /// The role the caller acts in: <paramref name="role"/> in scope, or <paramref name="escalation"/> in scope once the
    /// evaluation is overdue at <paramref name="stage"/>; else the 403 to answer with.
    /// </summary>
    (string? Role, IResult? Forbidden) ActingRole(Context ctx, string role, string escalation, string stage, string notYet, string notYours)
    {
        string branchId = ctx.Evaluation.BranchId;
        if (ctx.Caller.CanActOn(role, branchId)) return (role, null);
        if (!ctx.Caller.CanActOn(escalation, branchId)) return (null, Problems.Forbidden(notYours));
        return ctx.Evaluation.Stage == stage && IsOverdue(ctx.Evaluation, clock.GetUtcNow()) ? (escalation, null) : (null, Problems.Forbidden(notYet));
    }

    /// <summary>
    /// Claims the action on the stored record and keeps its event in the record's outbox, in one ETag-conditional write,
    /// re-checking stage and round on the latest record: of two simultaneous decisions one gets through, the other a
    /// 409, and no accepted action is dropped later. A refusal also raises again what an earlier request accepted and
    /// never delivered (its raise failed, or its process died): a client retrying after an error gets a 409 that is true.
    /// </summary>
    async Task<IResult?> ClaimAsync(DurableTaskClient client, Context ctx, string claim, AcceptedAction action, string stage, string taken, CancellationToken ct,
        Func<EvaluationRecord, string?>? alsoRefuse = null)
    {
        EvaluationRecord seen = ctx.Evaluation;
        string? refused;
        try
        {
            refused = await evaluations.ClaimAsync((seen, ctx.ETag), action, r =>
                r.Stage != stage || r.Round != seen.Round ? $"The evaluation moved on: it is {r.Stage} (round {r.Round})."
                : EvaluationStore.HasClaim(r, claim) ? taken
                : alsoRefuse?.Invoke(r), ct);
        }
        catch (RecordTooLargeException)
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, "too-large", "The body is too large.",
                "This text, with what the evaluation already holds, is more than a stored evaluation can keep: shorten the summary, comments or evidence.");
        }
        if (refused is null) return null;
        await relay.BesideRefusalAsync(() => relay.RelayOverdueAsync(client, seen, ct), $"{seen.CampaignId}/{seen.BranchId}");
        return Problems.Conflict(refused);
    }

    /// <summary>The action a repeat of a keyed request resumes: the one its first attempt kept, accepted at its own time.</summary>
    static AcceptedAction Resumed(EvaluationRecord evaluation, AcceptedAction fresh) =>
        evaluation.Outbox.FirstOrDefault(a => a.Claim == fresh.Claim) ?? fresh;

    void LogAccepted(string step, string campaignId, string branchId, int round, Caller caller, string role) =>
        log.LogInformation("Accepted {Step} for {CampaignId}/{BranchId} round {Round} from {CallerId} as {Role}, raised to instance {InstanceId}",
            step, campaignId, branchId, round, caller.Id, role, InstanceIds.Evaluation(campaignId, branchId));

    static IResult NotNow(EvaluationRecord e) =>
        Problems.Create(StatusCodes.Status409Conflict, "wrong-stage", "The evaluation is not at this stage.",
            $"The evaluation is {e.Stage}{(e.Outcome is null ? "" : $" ({e.Outcome})")}.", new Dictionary<string, object?> { ["stage"] = e.Stage });

    static IResult Accepted(string campaignId, string branchId) =>
        Results.Accepted($"/{ApiRoutes.Prefix}/campaigns/{campaignId}/evaluations/{branchId}", new StepAccepted(campaignId, branchId, true));

    static Actor Act(Caller caller, string role) => new(caller.Id, caller.Name, role);

    /// <summary>Overdue as soon as the stage's deadline has passed, even before the workflow's timer has flagged it.</summary>
    static bool IsOverdue(EvaluationRecord e, DateTimeOffset now) =>
        e.Overdue || (e.Stage != Stages.Done && e.StageDeadline is { } d && now > d);

    static EvaluationSummary Summary(EvaluationRecord e, DateTimeOffset now) =>
        new(e.BranchId, e.BranchName, e.Stage, IsOverdue(e, now), e.Outcome, e.FinalScore, e.UnityShare, e.Round, e.StageDeadline);

    static EvaluationView View(EvaluationRecord e, DateTimeOffset now) =>
        new(e.CampaignId, e.BranchId, e.BranchName, e.Stage, IsOverdue(e, now), e.Outcome, e.FinalScore, e.UnityShare,
            e.Round, e.StageDeadline, e.Submission, e.Review, e.Scores, e.History);
}
