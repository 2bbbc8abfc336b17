using Eval.Application.Evidence;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.Application.Honours;

/// <summary>The organization department's decision on a change.</summary>
public sealed record HonourChangeDecisionView(bool Approve, bool Notice, string Comment, Actor By, DateTimeOffset At);

/// <summary>An objection to a change; who filed it is shown to the organization department only.</summary>
public sealed record HonourChangeObjectionView(string Id, string Text, Actor? FiledBy, DateTimeOffset FiledAt, string Status,
    string? Comment, DateTimeOffset? ResolvedAt);

/// <summary>
/// A change of an honour as the working roles over the branch see it: what it changes and why, who proposed it and when,
/// where it stands (proposed, overdue, approved, notice, refused, withdrawn, applied), the decision and the objections.
/// </summary>
public sealed record HonourChangeView(string Id, string CampaignId, string BranchId, string Kind, string FromLevel, string ToLevel,
    string ReasonCategory, string Description, IReadOnlyList<EvidenceFileRef> Evidence, Actor ProposedBy, DateTimeOffset ProposedAt,
    string Status, DateTimeOffset DecisionDue, bool Escalated, DateTimeOffset? OverdueAt, HonourChangeDecisionView? Decision,
    DateTimeOffset? NoticeEnds, int Objections, int OpenObjections, int UpheldObjections, DateTimeOffset? EndedAt, string? Outcome)
{
    /// <summary>The objections themselves, in a change's own view (not in a list of changes).</summary>
    public IReadOnlyList<HonourChangeObjectionView>? ObjectionList { get; init; }

    public static HonourChangeView Of(HonourChange c, DateTimeOffset now) => new(c.Id, c.CampaignId, c.BranchId, c.Kind, c.FromLevel,
        c.ToLevel, c.ReasonCategory, c.Description, c.Evidence, c.ProposedBy, c.ProposedAt, c.Status, c.DecisionDue,
        c.Decision is null && !HonourChangeStatus.IsEnded(c.Status) && c.IsOverdueAt(now), c.OverdueAt,
        c.Decision is { } d ? new HonourChangeDecisionView(d.Approve, d.Notice, d.Comment, d.By, d.At) : null, c.NoticeEnds,
        c.Objections, c.OpenObjections, c.UpheldObjections, c.EndedAt, c.Outcome);
}

/// <summary>A branch's changes of its honour in a campaign, oldest first.</summary>
public sealed record HonourChangeList(string CampaignId, string BranchId, IReadOnlyList<HonourChangeView> Changes);

/// <summary>Reading changes of honours, and their files, for the working roles over the branch.</summary>
public sealed class HonourChangeQueries(CampaignAccess access, HonourChangeStore changes, EvidenceStore evidence, EvidenceBlobs blobs,
    EvidenceOptions options, TimeProvider clock)
{
    const string ReadersOnly = "Changes of an honour are read by the working roles over the branch.";

    public async Task<Result<HonourChangeList>> ListAsync(Caller caller, string campaignId, string branchId, CancellationToken ct)
    {
        var (_, _, missing) = await access.LoadAsync(campaignId, ct);
        if (missing is not null) return missing;
        if (!caller.WorksOn(branchId)) return Problem.Forbidden(ReadersOnly);
        DateTimeOffset now = clock.GetUtcNow();
        return new HonourChangeList(campaignId, branchId,
            [.. (await changes.ListAsync(campaignId, branchId, ct)).Select(c => HonourChangeView.Of(c, now))]);
    }

    public async Task<Result<HonourChangeView>> GetAsync(Caller caller, string campaignId, string branchId, string changeId,
        CancellationToken ct)
    {
        var (_, _, missing) = await access.LoadAsync(campaignId, ct);
        if (missing is not null) return missing;
        if (!caller.WorksOn(branchId)) return Problem.Forbidden(ReadersOnly);
        if (!HonourChangeIds.IsValid(changeId) || await changes.GetAsync(campaignId, branchId, changeId, ct) is not var (change, _))
            return Problem.NotFound($"No change '{changeId}' of this honour.");
        bool org = caller.HasRole(Roles.OrgDepartment);
        return HonourChangeView.Of(change, clock.GetUtcNow()) with
        {
            ObjectionList = [.. (await changes.ObjectionsAsync(campaignId, branchId, changeId, ct)).OrderBy(o => o.FiledAt)
                .Select(o => new HonourChangeObjectionView(o.Id, o.Text, org ? o.FiledBy : null, o.FiledAt, o.Status, o.Comment,
                    o.ResolvedAt))],
        };
    }

    /// <summary>A read URL of a few minutes for a verified file of a change; none when its bytes changed since.</summary>
    public async Task<Result<Uri>> DownloadUriAsync(Caller caller, string campaignId, string branchId, string evidenceId,
        CancellationToken ct)
    {
        var (_, _, missing) = await access.LoadAsync(campaignId, ct);
        if (missing is not null) return missing;
        if (!caller.WorksOn(branchId)) return Problem.Forbidden(ReadersOnly);
        if (!EvidenceIds.IsValid(evidenceId)
            || await evidence.GetAsync(campaignId, branchId, evidenceId, ct, forHonourChange: true) is not ({ IsVerified: true } file, _))
            return Problem.NotFound($"No verified file '{evidenceId}' of changes of this honour.");
        if (await blobs.DifferenceAsync(file, await blobs.VerifiedETagAsync(file.BlobName, ct), ct) is { } difference)
            return new Problem(ProblemKind.Conflict, "evidence-altered", "The evidence was changed after it was verified.",
                $"Evidence {file.Id} {difference}; it is not served.");
        DateTimeOffset expiresAt =
            clock.GetUtcNow().AddMinutes(Math.Clamp(options.DownloadMinutes, 0.01, EvidenceOptions.MaxDownloadMinutes));
        return await blobs.DownloadUriAsync(file.BlobName, FileNames.ContentDisposition(file.FileName), file.ContentType!, expiresAt, ct);
    }
}
