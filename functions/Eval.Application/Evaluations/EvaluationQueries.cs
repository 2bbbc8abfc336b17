using Azure;
using Azure.Data.Tables;
using Eval.Application.Evidence;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;

namespace Eval.Application.Evaluations;

/// <summary>One page of a work queue; pass continuationToken back for the next.</summary>
public sealed record EvaluationPage(IReadOnlyList<EvaluationSummary> Items, string? ContinuationToken);

/// <summary>One evaluation in a work queue.</summary>
public sealed record EvaluationSummary(string BranchId, string BranchName, string Stage, bool Overdue, string? Outcome, decimal? FinalScore,
    decimal? UnityShare, int Round, DateTimeOffset? StageDeadline)
{
    /// <summary>The branch's titles in the honours register when the campaign started (none: it never had one).</summary>
    public BranchRegister? Register { get; init; }

    public static EvaluationSummary Of(EvaluationRecord e, DateTimeOffset now) =>
        new(e.BranchId, e.BranchName, e.Stage, e.IsOverdueAt(now), e.Outcome, e.FinalScore, e.UnityShare, e.Round, e.StageDeadline)
        {
            Register = e.Register,
        };
}

/// <summary>One branch's evaluation with everything submitted and decided so far.</summary>
public sealed record EvaluationView(string CampaignId, string BranchId, string BranchName, string Stage, bool Overdue, string? Outcome,
    decimal? FinalScore, decimal? UnityShare, int Round, DateTimeOffset? StageDeadline, SubmissionEntry? Submission, ReviewEntry? Review,
    IReadOnlyList<ScoreEntry> Scores, IReadOnlyList<HistoryEntry> History, IReadOnlyList<EvidenceView> Evidence)
{
    /// <summary>The branch's category (村, 社区, …), which chose its rubric.</summary>
    public string? Category { get; init; }

    /// <summary>
    /// The branch's titles in the honours register when the campaign started: its latest year's level and status, the
    /// consecutive years at the top level up to it, and its latest revocation (none: it never had a title).
    /// </summary>
    public BranchRegister? Register { get; init; }

    /// <summary>How the final score was made (docs/scoring.md), once the branch is scored.</summary>
    public ScoreBreakdown? Breakdown { get; init; }

    /// <summary>Why the branch has its level: from the proposed (or published) list once there is one, or why it has none.</summary>
    public RatingExplanation? Why { get; init; }

    /// <summary>The members' appraisal as counted when its window closed (counts from 5 ballots; never who chose what).</summary>
    public Appraisals.AppraisalResultView? Appraisal { get; init; }

    /// <summary>When a superior last urged (催办) the evaluation's waiting step (none: never); the history says who and why.</summary>
    public DateTimeOffset? LastUrgedAt { get; init; }

    /// <summary>When it may be urged again (once a day an evaluation): only while that is still ahead.</summary>
    public DateTimeOffset? MayUrgeAgainAt { get; init; }

    public static EvaluationView Of(EvaluationRecord e, DateTimeOffset now, IReadOnlyList<EvidenceView> evidence) =>
        new(e.CampaignId, e.BranchId, e.BranchName, e.Stage, e.IsOverdueAt(now), e.Outcome, e.FinalScore, e.UnityShare,
            e.Round, e.StageDeadline, e.Submission, e.Review, e.Scores, e.History, evidence)
        {
            Category = e.Category, Register = e.Register, Breakdown = e.Breakdown,
            Appraisal = e.Appraisal is { } appraisal ? Appraisals.AppraisalResultView.Of(appraisal) : null,
            LastUrgedAt = e.Supervision.LastUrgedAt,
            MayUrgeAgainAt = e.Supervision.LastUrgedAt is { } urged && urged + SupervisionRules.UrgeInterval > now
                ? urged + SupervisionRules.UrgeInterval : null,
        };
}

/// <summary>Reading evaluations: one branch's, and a campaign's work queue, a page at a time.</summary>
public sealed class EvaluationQueries(CampaignAccess access, EvaluationSteps steps, EvaluationStore evaluations, EvidenceQueries evidence,
    RatingStore ratings, TimeProvider clock)
{
    public const int MaxPageSize = 200;
    const int DefaultPageSize = 50;

    const string ReadersOnly =
        "Evaluations are read by the branch's secretary and the reviewers, scorers and organization department over it.";

    public async Task<Result<EvaluationView>> GetAsync(Caller caller, string campaignId, string branchId, CancellationToken ct)
    {
        // Loaded as a step loads it: the same 404s and 409 before the campaign's evaluations exist.
        Result<EvaluationContext> loaded = await steps.LoadAsync(caller, campaignId, branchId, ct);
        if (!loaded.Ok) return loaded.Problem;
        // The branch's own secretary, and the reviewers, scorers and department over it; members read no evaluation.
        if (!caller.WorksOn(branchId)) return Problem.Forbidden(ReadersOnly);
        EvaluationRecord record = loaded.Value.Evaluation;
        return EvaluationView.Of(record, clock.GetUtcNow(), await evidence.ListAsync(campaignId, branchId, ct)) with
        {
            Why = await WhyAsync(record, loaded.Value.Definition, ct),
        };
    }

    // A scored branch's explanation is its row in the proposed list (one point read), which publication copies as it
    // is; an unscored one's is its outcome.
    async Task<RatingExplanation?> WhyAsync(EvaluationRecord record, CampaignDefinition definition, CancellationToken ct)
    {
        if (record.Outcome != Outcomes.Scored) return RatingExplanation.NotRanked(record, definition.RubricFor(record.Category));
        return (await ratings.GetProposedAsync(record.CampaignId, record.BranchId, ct))?.Why;
    }

    /// <summary>
    /// A page of the campaign's evaluations under <paramref name="unit"/> (default: the narrower of the caller's unit and
    /// the campaign's), at <paramref name="stage"/> if given. The query-string values come as sent; each one that does not
    /// fit is a 422 at its /query/ pointer.
    /// </summary>
    public async Task<Result<EvaluationPage>> ListAsync(Caller caller, string campaignId, string? unit, string? stage, string? pageSize,
        string? continuationToken, CancellationToken ct)
    {
        if (!caller.IsWorking) return Problem.Forbidden(ReadersOnly);
        var (campaign, _, missing) = await access.LoadAsync(campaignId, ct);
        if (missing is not null) return missing;
        if (!CampaignAccess.CanSee(caller, campaign!)) return Problem.Forbidden("This campaign is outside your unit.");

        unit ??= caller.Covers(campaign!.Definition.Unit) ? campaign.Definition.Unit : caller.Unit;
        if (!UnitPath.IsValid(unit)) return Problem.Validation([new FieldError("/query/unit", "not a unit id")]);
        if (!caller.Covers(unit)) return Problem.Forbidden($"Unit '{unit}' is outside your unit '{caller.Unit}'.");
        if (stage is not null && !Stages.All.Contains(stage))
            return Problem.Validation([new FieldError("/query/stage", $"one of {string.Join(", ", Stages.All)}")]);
        int size = DefaultPageSize;
        if (pageSize is not null && (!int.TryParse(pageSize, out size) || size is < 1 or > MaxPageSize))
            return Problem.Validation([new FieldError("/query/pageSize", $"an integer from 1 to {MaxPageSize}")]);
        string? token = null;
        if (continuationToken is not null && (token = PageToken.Open(continuationToken, campaignId, unit, stage)) is null)
            return Problem.Validation([new FieldError("/query/continuationToken",
                "not a token this API gave for this campaign, unit and stage")]);

        try
        {
            // The filter pins the campaign partition and the unit's key range; a continuation token only moves within it.
            await foreach (Page<TableEntity> page in evaluations.Query(campaignId, unit, stage, pageSize: size)
                               .AsPages(token, size).WithCancellation(ct))
            {
                DateTimeOffset now = clock.GetUtcNow();
                return new EvaluationPage([.. page.Values.Select(e => EvaluationSummary.Of(EvaluationStore.FromEntity(e), now))],
                    page.ContinuationToken is { } next ? PageToken.Seal(next, campaignId, unit, stage) : null);
            }
            return new EvaluationPage([], null);
        }
        catch (RequestFailedException e) when (e.Status is 400 or 404)
        {
            return Problem.Validation([new FieldError("/query/continuationToken", "not a token this API gave")]);
        }
    }
}
