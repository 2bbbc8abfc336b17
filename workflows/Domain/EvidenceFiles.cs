using System.Text.RegularExpressions;
using Eval.Workflows.Schemas;

namespace Eval.Workflows.Domain;

/// <summary>A criterion's demand for file evidence: whether the self-assessment must cite files for it, and how many.</summary>
public sealed record EvidenceRequirement(bool Required, int MinFiles = 1);

public static class EvidenceStatus
{
    /// <summary>A slot was issued; the file may be uploading. Not evidence yet.</summary>
    public const string Pending = "pending";

    /// <summary>Checked (size, kind), hashed and kept: citable.</summary>
    public const string Verified = "verified";

    /// <summary>Failed its checks at completion (<see cref="EvidenceFile.Refusal"/> says why); its blob was deleted.</summary>
    public const string Refused = "refused";
}

/// <summary>
/// A file of evidence (台账) a branch uploaded for one criterion in one round of a campaign. Its hash and upload time are
/// the server's, taken when the upload was completed; a self-assessment cites it by <see cref="Id"/>.
/// </summary>
public sealed record EvidenceFile
{
    public required string Id { get; init; }
    public required string CampaignId { get; init; }
    public required string BranchId { get; init; }
    public required int Round { get; init; }
    public required string Criterion { get; init; }
    public required string Title { get; init; }
    /// <summary>The uploader's file name, sanitized (<see cref="FileNames.Sanitize"/>).</summary>
    public required string FileName { get; init; }
    /// <summary>The media type the uploader declared; the verified file's is <see cref="ContentType"/>.</summary>
    public required string DeclaredType { get; init; }
    public required long DeclaredSize { get; init; }
    public required string Status { get; init; }
    public required Actor UploadedBy { get; init; }
    /// <summary>When the upload slot's SAS stops working.</summary>
    public required DateTimeOffset SlotExpiresAt { get; init; }
    public string? ContentType { get; init; }
    public long? Size { get; init; }
    /// <summary>SHA-256 of the bytes, lower-case hex.</summary>
    public string? Sha256 { get; init; }
    /// <summary>The server's time when the file was verified: the time it counts as uploaded.</summary>
    public DateTimeOffset? UploadedAt { get; init; }
    /// <summary>The verified blob's ETag; any later write to the blob changes it.</summary>
    public string? BlobETag { get; init; }
    /// <summary>Why a refused file was refused.</summary>
    public string? Refusal { get; init; }
    /// <summary>The problem type the refusal was answered with (evidence-too-late, …), so a repeat is answered the same.</summary>
    public string? RefusalType { get; init; }

    /// <summary>A file cited by a change of an honour (动态管理), not by an evaluation: kept in a partition of its own.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool ForHonourChange { get; init; }

    /// <summary>The criterion recorded for a change's files.</summary>
    public const string HonourChangeCriterion = "honour-change";

    public bool IsVerified => Status == EvidenceStatus.Verified;

    /// <summary>Whether the file counts against its round's quota: verified, or a slot that may still be completed.</summary>
    public bool CountsAt(DateTimeOffset now) => IsVerified || (Status == EvidenceStatus.Pending && now <= CompleteBy);

    /// <summary>
    /// The last moment the upload may be completed: a little after the SAS expires, so a PUT that began in time and
    /// finished at the edge can still be completed.
    /// </summary>
    public DateTimeOffset CompleteBy => SlotExpiresAt + CompletionGrace;

    public static readonly TimeSpan CompletionGrace = TimeSpan.FromMinutes(15);

    /// <summary>The bytes it counts for: the verified size, or the size a pending slot declared.</summary>
    public long CountedBytes => Size ?? DeclaredSize;

    /// <summary>The blob's name, the same in both containers: the evidence id under its campaign and branch.</summary>
    public string BlobName => $"{CampaignId}/{BranchId}/{Id}";

    /// <summary>What a submission records of the file, hash included, so the audit chain covers it.</summary>
    public EvidenceFileRef Ref() => new(Id, FileName, ContentType!, Size!.Value, Sha256!, UploadedAt!.Value);
}

/// <summary>A verified file as a self-assessment records it.</summary>
public sealed record EvidenceFileRef(string Id, string FileName, string ContentType, long Size, string Sha256, DateTimeOffset UploadedAt);

/// <summary>
/// What a self-assessment may cite: only verified files of its own branch, campaign and round, uploaded by the
/// self-assessment's deadline (no back-dating), each once and under the criterion it was uploaded for; and, for every
/// criterion whose rubric requires files, at least its minimum.
/// </summary>
public static class EvidenceCitations
{
    /// <param name="cited">The self-assessment's evidence list, as sent.</param>
    /// <param name="files">The branch's files in this campaign, by id.</param>
    public static IReadOnlyList<FieldError> Check(IReadOnlyList<Evidence> cited, IReadOnlyDictionary<string, EvidenceFile> files,
        Rubric rubric, int round, DateTimeOffset? deadline)
    {
        var errors = new List<FieldError>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var citedPerCriterion = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < cited.Count; i++)
        {
            if (cited[i].EvidenceId is not { } id) continue;
            string pointer = $"/evidence/{i}/evidenceId";
            files.TryGetValue(id, out EvidenceFile? file);
            string? refusal = !seen.Add(id) ? $"Evidence {id} is cited twice."
                : file is null ? $"No evidence {id} of this branch and campaign."
                : !file.IsVerified ? $"Evidence {id} was never completed and verified."
                : file.Round != round ? $"Evidence {id} was uploaded in round {file.Round}, not this round ({round})."
                : deadline is { } due && file.UploadedAt > due
                    ? $"Evidence {id} was uploaded at {file.UploadedAt:O}, after the deadline {due:O}."
                : null;
            if (refusal is not null) errors.Add(new(pointer, refusal));
            else if (file!.Criterion != cited[i].Criterion)
                errors.Add(new($"/evidence/{i}/criterion", $"Evidence {id} was uploaded for criterion {file.Criterion}."));
            else citedPerCriterion[file.Criterion] = citedPerCriterion.GetValueOrDefault(file.Criterion) + 1;
        }

        foreach (Criterion criterion in rubric.Criteria)
        {
            if (criterion.Evidence is not { Required: true } needed) continue;
            int count = citedPerCriterion.GetValueOrDefault(criterion.Id);
            if (count < needed.MinFiles)
                errors.Add(new("/evidence", $"Criterion {criterion.Id} ({criterion.Title}) needs at least {needed.MinFiles} " +
                    $"evidence file(s); {count} cited that may be."));
        }
        return errors;
    }
}

/// <summary>
/// Evidence ids: "ev-" and the 32 hex digits of a version 7 GUID, time-ordered. An id is no secret: reading a file
/// needs a role over its branch.
/// </summary>
public static partial class EvidenceIds
{
    public const string Pattern = "^ev-[0-9a-f]{32}$";

    public static string New() => "ev-" + Guid.CreateVersion7().ToString("N");

    public static bool IsValid(string id) => IdPattern().IsMatch(id);

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
