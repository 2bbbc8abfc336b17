using Eval.Application.Evaluations;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.Application.Appraisals;

/// <summary>
/// A branch's members' appraisal as the roles in scope see it: its window and choices, how many may vote and how many
/// have, whether the caller (a member) has voted, and once the window has closed and the ballots are counted, the result.
/// </summary>
public sealed record AppraisalView(string CampaignId, string BranchId, string Status, DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt,
    IReadOnlyList<AppraisalChoice> Choices, int Eligible, bool Named, int Ballots)
{
    /// <summary>For a member: whether they have voted (never what).</summary>
    public bool? YouVoted { get; init; }

    /// <summary>The count, once the window has closed: counts only from <see cref="AppraisalResult.MinBallotsShown"/> ballots.</summary>
    public AppraisalResultView? Result { get; init; }
}

/// <summary>
/// The appraisal's result as shown: participation, whether it counts (and why not), and, from 5 ballots, the
/// satisfaction and the count of each choice (fewer: "too few to show").
/// </summary>
public sealed record AppraisalResultView(int Ballots, int Eligible, decimal Participation, bool Valid, string? Invalid,
    decimal? Satisfaction, IReadOnlyList<ChoiceCount>? Counts, bool TooFewToShow)
{
    public static AppraisalResultView Of(AppraisalResult r) =>
        new(r.Ballots, r.Eligible, r.Participation, r.Valid, r.Invalid, r.Satisfaction, r.Counts, !r.Shown);
}

public static class AppraisalStatus
{
    public const string NotOpen = "not-open";
    public const string Open = "open";
    /// <summary>The window has passed; the evaluation's workflow is sealing and counting the box.</summary>
    public const string Closing = "closing";
    public const string Closed = "closed";
}

public sealed class AppraisalQueries(EvaluationSteps steps, AppraisalStore appraisals, TimeProvider clock)
{
    public async Task<Result<AppraisalView>> GetAsync(Caller caller, string campaignId, string branchId, CancellationToken ct)
    {
        Result<EvaluationContext> loaded = await steps.LoadAsync(caller, campaignId, branchId, ct);
        if (!loaded.Ok) return loaded.Problem;
        bool member = caller.HasRole(Roles.Member) && caller.Unit == branchId;
        if (!caller.WorksOn(branchId) && !member)
            return Problem.Forbidden("A branch's appraisal is read by its members, its secretary and the roles over it.");
        if (loaded.Value.Definition.Appraisal is not { } appraisal)
            return Problem.NotFound($"Campaign '{campaignId}' holds no members' appraisal.");
        EvaluationRecord evaluation = loaded.Value.Evaluation;
        var boxRead = appraisals.GetBoxAsync(campaignId, branchId, ct);
        Task<bool>? voted = member ? appraisals.HasVotedAsync(campaignId, branchId, caller.Id, ct) : null;
        BallotBox box = (await boxRead)?.Box ?? BallotBox.Empty;
        var window = appraisal.WindowOf(evaluation.AppraisalOpenedAt);
        DateTimeOffset now = clock.GetUtcNow();
        // An evaluation that ended otherwise (not submitted, rejected, vetoed) closes its appraisal uncounted.
        string status = evaluation.Appraisal is not null || evaluation.Stage == Stages.Done ? AppraisalStatus.Closed
            : window is null || now < window.Value.Opens ? AppraisalStatus.NotOpen
            : now < window.Value.Closes ? AppraisalStatus.Open
            : AppraisalStatus.Closing;
        return new AppraisalView(campaignId, branchId, status, window?.Opens, window?.Closes, appraisal.Choices, box.Eligible,
            box.Members is not null, box.Ballots)
        {
            YouVoted = voted is null ? null : await voted,
            Result = evaluation.Appraisal is { } result ? AppraisalResultView.Of(result) : null,
        };
    }
}
