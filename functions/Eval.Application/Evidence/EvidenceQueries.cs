using Eval.Application.Evaluations;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Eval.Application.Evidence;

/// <summary>
/// Reading evidence: a verified file, through a read SAS URL valid a few minutes, for the branch's secretary and the
/// reviewers, scorers and organization department over the branch. A file whose blob changed after it was verified is
/// not served: the hash it was cited with no longer holds.
/// </summary>
public sealed class EvidenceQueries(EvaluationSteps steps, EvidenceStore store, EvidenceBlobs blobs, EvidenceOptions options,
    TimeProvider clock, ILogger<EvidenceQueries> log)
{
    const string ReadersOnly =
        "Evidence is read by the branch's secretary and the reviewers, scorers and organization department over it.";

    public async Task<Result<Uri>> DownloadUriAsync(Caller caller, string campaignId, string branchId, string evidenceId,
        CancellationToken ct)
    {
        Result<EvaluationContext> loaded = await steps.LoadAsync(caller, campaignId, branchId, ct);
        if (!loaded.Ok) return loaded.Problem;
        if (!caller.WorksOn(branchId)) return Problem.Forbidden(ReadersOnly);
        if (!EvidenceIds.IsValid(evidenceId) ||
            await store.GetAsync(campaignId, branchId, evidenceId, ct) is not ({ IsVerified: true } file, _))
            return Problem.NotFound($"No verified evidence '{evidenceId}' of this branch.");

        if (await blobs.DifferenceAsync(file, await blobs.VerifiedETagAsync(file.BlobName, ct), ct) is { } difference)
            return Altered(file, difference);

        DateTimeOffset expiresAt =
            clock.GetUtcNow().AddMinutes(Math.Clamp(options.DownloadMinutes, 0.01, EvidenceOptions.MaxDownloadMinutes));
        return await blobs.DownloadUriAsync(file.BlobName, FileNames.ContentDisposition(file.FileName), file.ContentType!, expiresAt, ct);
    }

    /// <summary>The branch's files in the campaign, oldest first (ids are time-ordered).</summary>
    public async Task<IReadOnlyList<EvidenceView>> ListAsync(string campaignId, string branchId, CancellationToken ct) =>
        [.. (await store.ListAsync(campaignId, branchId, ct)).Values.OrderBy(f => f.Id, StringComparer.Ordinal).Select(EvidenceView.Of)];

    Problem Altered(EvidenceFile file, string difference)
    {
        log.LogWarning("Evidence {EvidenceId} of {CampaignId}/{BranchId} {Difference}",
            file.Id, file.CampaignId, file.BranchId, difference);
        return new Problem(ProblemKind.Conflict, "evidence-altered", "The evidence was changed after it was verified.",
            $"Evidence {file.Id} {difference}; it is not served.");
    }
}
