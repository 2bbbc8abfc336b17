using Eval.Application.Evaluations;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;

namespace Eval.Application.Appraisals;

public sealed record AppraisalRosterRequest(IReadOnlyList<string>? Members, int? MemberCount);

public sealed record AppraisalBallotRequest(string Choice);

/// <summary>A branch's roster as set: how many may vote, and whether they are named (member ids) or only counted.</summary>
public sealed record AppraisalRosterSet(string CampaignId, string BranchId, int Eligible, bool Named);

/// <summary>A ballot counted. Nothing in it names the ballot or its choice.</summary>
public sealed record BallotCounted(string CampaignId, string BranchId, bool Counted);

/// <summary>
/// The members' appraisal (民主测评) of one branch: its roster, set by the branch's secretary or the township reviewer
/// until the first ballot, and the members' ballots, one each, during the window (docs/scoring.md, "The members'
/// appraisal"). A ballot is stored only as one more in the box's counts, apart from the row saying its member voted
/// (<see cref="AppraisalStore"/>); no log line, answer or kept request links the two.
/// </summary>
public sealed class AppraisalCommands(CampaignAccess access, EvaluationSteps steps, AppraisalStore appraisals, TimeProvider clock)
{
    public async Task<Result<AppraisalRosterSet>> SetRosterAsync(Caller caller, string campaignId, string branchId,
        Func<Task<Result<string>>> readBody, CancellationToken ct)
    {
        Result<EvaluationContext> loaded = await steps.LoadAsync(caller, campaignId, branchId, ct);
        if (!loaded.Ok) return loaded.Problem;
        if (!caller.CanActOn(Roles.BranchSecretary, branchId) && !caller.CanActOn(Roles.TownshipReviewer, branchId))
            return Problem.Forbidden("A branch's appraisal roster is set by its secretary or the township reviewer over it.");
        if (loaded.Value.Definition.Appraisal is not { } appraisal) return NoAppraisal(campaignId);
        Result<AppraisalRosterRequest> body =
            await CommandBody.ReadAsync<AppraisalRosterRequest>(readBody, await SchemaCatalog.GetAsync(SchemaCatalog.AppraisalRoster));
        if (!body.Ok) return body.Problem;
        EvaluationRecord evaluation = loaded.Value.Evaluation;
        if (evaluation.Stage == Stages.Done) return Problem.Conflict($"The evaluation has ended ({evaluation.Outcome}).");
        if (Closed(appraisal, evaluation.AppraisalOpenedAt) is { } closed) return Problem.Conflict(closed);

        IReadOnlyList<string>? members = body.Value.Members;
        int eligible = members?.Count ?? body.Value.MemberCount!.Value;
        string? refused = await appraisals.SetRosterAsync(campaignId, branchId, members, eligible, evaluation.AppraisalOpenedAt, box =>
            box.Sealed ? "The appraisal has closed."
            : box.Ballots > 0 ? "Ballots have been cast: the roster is fixed from the first ballot on." : null, ct);
        return refused is null ? new AppraisalRosterSet(campaignId, branchId, eligible, members is not null) : Problem.Conflict(refused);
    }

    public async Task<Result<BallotCounted>> CastAsync(Caller caller, string campaignId, string branchId,
        Func<Task<Result<string>>> readBody, CancellationToken ct)
    {
        // A member's ballot costs one read of the box (with its roster) and one transaction: the campaign's definition is
        // kept once read, and the evaluation is read only while the box does not know when the window opened. Any other
        // caller, or a box not there, is answered as the evaluation's load says (404, 403, 409).
        bool member = caller.HasRole(Roles.Member) && caller.Unit == branchId && CampaignAccess.IsCampaignId(campaignId);
        var boxRead = member ? appraisals.GetBoxAsync(campaignId, branchId, ct) : null;
        var (definition, _, _) = member ? await access.LoadStartedAsync(campaignId, ct) : default;
        var box = boxRead is null ? null : await boxRead;
        EvaluationRecord? evaluation = null;
        if (definition is null || box is null || (definition.Appraisal?.OpensAt is null && box.Value.Box.OpenedAt is null))
        {
            Result<EvaluationContext> loaded = await steps.LoadAsync(caller, campaignId, branchId, ct);
            if (!loaded.Ok) return loaded.Problem;
            if (!member) return Problem.Forbidden("Ballots are cast by the branch's own members (role member at the branch).");
            (definition, evaluation) = (loaded.Value.Definition, loaded.Value.Evaluation);
        }
        if (definition.Appraisal is not { } appraisal) return NoAppraisal(campaignId);
        Result<AppraisalBallotRequest> body =
            await CommandBody.ReadAsync<AppraisalBallotRequest>(readBody, await SchemaCatalog.GetAsync(SchemaCatalog.AppraisalBallot));
        if (!body.Ok) return body.Problem;
        string choice = body.Value.Choice;
        if (appraisal.Choices.All(c => c.Id != choice))
        {
            string ids = string.Join(", ", appraisal.Choices.Select(c => c.Id));
            return Problem.Validation([new FieldError("/choice", "must be one of: " + ids)]);
        }
        if (evaluation?.Stage == Stages.Done)
            return Problem.Conflict($"The evaluation has ended ({evaluation.Outcome}): its appraisal no longer takes ballots.");
        DateTimeOffset? opened = box?.Box.OpenedAt ?? evaluation?.AppraisalOpenedAt;
        if (NotOpen(appraisal, opened) is { } notOpen) return Problem.Conflict(notOpen);
        if (box is { Box: { Sealed: false, Members: { } roster } } && !roster.Contains(caller.Id, StringComparer.Ordinal))
            return Problem.Forbidden(NotOnRoster);

        CastOutcome cast = await appraisals.CastAsync(campaignId, branchId, caller.Id, choice, opened, found =>
            found is null || (found.Members is null && found.Eligible == 0)
                ? "The branch has no appraisal roster yet: its secretary or the township reviewer sets it first."
            : found.Sealed ? "The appraisal has closed (or its evaluation has ended)."
            : found.Members is null && found.Ballots >= found.Eligible ? "Every member on the roster has voted."
            : found.Members is { } named && !named.Contains(caller.Id, StringComparer.Ordinal) ? NotOnRoster
            : null, box, ct);
        if (cast.VotedAlready) return Problem.Conflict("You have voted in this appraisal already: one ballot a member.");
        return cast.Refused is { } refused ? Problem.Conflict(refused) : new BallotCounted(campaignId, branchId, true);
    }

    const string NotOnRoster = "You are not on this branch's appraisal roster.";

    static Problem NoAppraisal(string campaignId) => Problem.NotFound($"Campaign '{campaignId}' holds no members' appraisal.");

    string? Closed(AppraisalDefinition appraisal, DateTimeOffset? opened) =>
        appraisal.WindowOf(opened) is { } window && clock.GetUtcNow() >= window.Closes
            ? $"The appraisal closed at {window.Closes:u}." : null;

    string? NotOpen(AppraisalDefinition appraisal, DateTimeOffset? opened) =>
        appraisal.WindowOf(opened) is not { } window ? "The appraisal opens when the branch submits its self-assessment."
        : clock.GetUtcNow() < window.Opens ? $"The appraisal opens at {window.Opens:u}."
        : Closed(appraisal, opened);
}
