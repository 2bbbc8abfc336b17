using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs.Models;
using Eval.Application.Evaluations;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Eval.Application.Evidence;

/// <summary>What the secretary says of a file before uploading it.</summary>
public sealed record EvidenceSlotRequest(string Criterion, string Title, string FileName, string ContentType, long Size);

/// <summary>
/// Where to upload the file: PUT it to <paramref name="UploadUrl"/> with <paramref name="UploadHeaders"/> before
/// <paramref name="ExpiresAt"/>, then complete the upload.
/// </summary>
public sealed record EvidenceSlot(string EvidenceId, Uri UploadUrl, IReadOnlyDictionary<string, string> UploadHeaders,
    DateTimeOffset ExpiresAt, long MaxBytes);

/// <summary>A file of evidence as the API shows it: a verified file has its type, size, hash and upload time.</summary>
public sealed record EvidenceView(string EvidenceId, int Round, string Criterion, string Title, string FileName, string Status,
    string? ContentType, long? Size, string? Sha256, DateTimeOffset? UploadedAt, string? Refusal)
{
    public static EvidenceView Of(EvidenceFile f) =>
        new(f.Id, f.Round, f.Criterion, f.Title, f.FileName, f.Status, f.ContentType, f.Size, f.Sha256, f.UploadedAt, f.Refusal);
}

/// <summary>
/// Uploading evidence: a slot (a create-only SAS URL for one blob) while the branch's self-assessment is open, then the
/// completion, which checks the uploaded bytes (size, kind by content), hashes them, keeps them unchangeable and records
/// the server's time. Only the branch's secretary uploads; a refused file's blob is deleted and nothing else changes.
/// </summary>
public sealed class EvidenceCommands(EvaluationSteps steps, EvidenceStore store, EvidenceBlobs blobs, EvidenceOptions options,
    TimeProvider clock, ILogger<EvidenceCommands> log)
{
    const string SecretaryOnly = "Only the branch's secretary uploads its evidence.";
    const string RefusedType = "evidence-refused", TooLargeType = "evidence-too-large", TooLateType = "evidence-too-late";

    public async Task<Result<EvidenceSlot>> RequestSlotAsync(Caller caller, string campaignId, string branchId,
        Func<Task<Result<string>>> readBody, CancellationToken ct)
    {
        Result<EvaluationContext> loaded = await LoadOpenAsync(caller, campaignId, branchId, ct);
        if (!loaded.Ok) return loaded.Problem;
        Result<EvidenceSlotRequest> body =
            await CommandBody.ReadAsync<EvidenceSlotRequest>(readBody, await SchemaCatalog.GetAsync(SchemaCatalog.EvidenceSlot));
        if (!body.Ok) return body.Problem;
        EvidenceSlotRequest request = body.Value;
        var (_, definition, evaluation, _) = loaded.Value;

        string fileName = FileNames.Sanitize(request.FileName);
        var errors = new List<FieldError>();
        IReadOnlyList<Criterion> criteria = definition.RubricFor(evaluation.Category).Criteria;
        if (criteria.All(c => c.Id != request.Criterion))
            errors.Add(new("/criterion", "not a criterion of the branch's rubric: " + string.Join(", ", criteria.Select(c => c.Id))));
        if (KindError(fileName, request.ContentType) is { } kindError) errors.Add(kindError);
        if (errors.Count > 0) return Problem.Validation(errors);

        return await OpenSlotAsync(new EvidenceFile
        {
            Id = EvidenceIds.New(), CampaignId = campaignId, BranchId = branchId, Round = evaluation.Round, Criterion = request.Criterion,
            Title = request.Title, FileName = fileName, DeclaredType = FileKinds.ByContentType(request.ContentType)!.ContentType,
            DeclaredSize = request.Size, Status = EvidenceStatus.Pending,
            UploadedBy = new Actor(caller.Id, caller.Name, Roles.BranchSecretary), SlotExpiresAt = default,
        }, ct);
    }

    /// <summary>The error of a file name whose extension is not the declared type's, or null.</summary>
    public static FieldError? KindError(string sanitizedFileName, string contentType)
    {
        FileKind kind = FileKinds.ByContentType(contentType)!;
        return FileKinds.ByFileName(sanitizedFileName) == kind
            ? null : new("/fileName", $"a {kind.Name} file is named {string.Join(" or ", kind.Extensions)}");
    }

    /// <summary>
    /// Adds <paramref name="slot"/> (its expiry set here) within its partition's quota, and answers the create-only upload URL
    /// for its blob. Evaluations and changes of honours ask for slots through here.
    /// </summary>
    public async Task<Result<EvidenceSlot>> OpenSlotAsync(EvidenceFile slot, CancellationToken ct)
    {
        if (slot.DeclaredSize > options.MaxFileBytes) return Refused(TooLarge(slot.DeclaredSize), TooLargeType);
        DateTimeOffset now = clock.GetUtcNow();
        DateTimeOffset expiresAt = now.AddMinutes(Math.Clamp(options.UploadMinutes, 0.01, EvidenceOptions.MaxUploadMinutes));
        slot = slot with { SlotExpiresAt = expiresAt };
        if (await store.AddSlotAsync(slot, options.MaxFilesPerRound, options.MaxBytesPerRound, now, ct) is { } full)
            return new Problem(ProblemKind.Conflict, "evidence-quota", "The branch's evidence quota for this round is used up.", full);

        await blobs.EnsureContainersAsync();
        Uri upload = await blobs.UploadUriAsync(slot.BlobName, expiresAt, ct);
        FileKind kind = FileKinds.ByContentType(slot.DeclaredType)!;
        log.LogInformation("Evidence slot {EvidenceId} for {CampaignId}/{BranchId} round {Round}, {Size} bytes of {Kind}",
            slot.Id, slot.CampaignId, slot.BranchId, slot.Round, slot.DeclaredSize, kind.Name);
        // The blob is kept under the type and name it is served with: uploaded with them, it need not be changed after.
        return new EvidenceSlot(slot.Id, upload, new Dictionary<string, string>
            {
                ["x-ms-blob-type"] = "BlockBlob", ["Content-Type"] = kind.ContentType,
                ["x-ms-blob-content-disposition"] = FileNames.ContentDisposition(slot.FileName),
            },
            expiresAt, options.MaxFileBytes);
    }

    /// <summary>
    /// Checks the uploaded file and keeps it. A repeat of a completed upload answers the file as verified; a refused
    /// file answers its refusal again.
    /// </summary>
    public async Task<Result<EvidenceView>> CompleteAsync(Caller caller, string campaignId, string branchId, string evidenceId,
        CancellationToken ct)
    {
        Result<EvaluationContext> loaded = await LoadForSecretaryAsync(caller, campaignId, branchId, ct);
        if (!loaded.Ok) return loaded.Problem;
        if (!EvidenceIds.IsValid(evidenceId) || await store.GetAsync(campaignId, branchId, evidenceId, ct) is not var (file, etag))
            return Problem.NotFound($"No evidence '{evidenceId}' of this branch.");
        if (file.IsVerified) return EvidenceView.Of(file);

        DateTimeOffset now = clock.GetUtcNow();
        EvaluationRecord evaluation = loaded.Value.Evaluation;
        // No back-filling: a file counts when the server has it checked, and only while its round's self-assessment is open.
        string? closed = evaluation.Round != file.Round || evaluation.Stage != Stages.AwaitingSelfAssessment
            ? $"The self-assessment of round {file.Round} is no longer open; this file can no longer be added."
            : evaluation.StageDeadline is { } deadline && now > deadline
                ? $"Self-assessments were due by {deadline:O}; evidence completed after it does not count."
                : null;
        return await VerifyAsync(file, etag, closed, ct);
    }

    /// <summary>
    /// Checks the uploaded file of <paramref name="file"/>'s slot and keeps it: refused when <paramref name="closed"/> says
    /// why it can no longer count, or when its slot expired, its size or kind is not as declared. A repeat of a completed
    /// upload answers the file as verified; a refused file answers its refusal again.
    /// </summary>
    public async Task<Result<EvidenceView>> VerifyAsync(EvidenceFile file, ETag etag, string? closed, CancellationToken ct)
    {
        if (file.IsVerified) return EvidenceView.Of(file);
        if (file.Status == EvidenceStatus.Refused) return Refused(file.Refusal!, file.RefusalType ?? RefusedType);
        DateTimeOffset now = clock.GetUtcNow();
        closed ??= now > file.CompleteBy ? $"The upload slot expired at {file.CompleteBy:O}." : null;
        // The blob is read once, its bytes only when they may still count.
        using UploadedBlob? uploaded = await blobs.ReadUploadAsync(file.BlobName, closed is null ? options.MaxFileBytes : 0, ct);
        if (uploaded is null)
            return now > file.CompleteBy
                ? await RefuseAsync(file, etag, "The upload slot expired before a file was uploaded.", ct, TooLateType)
                : Problem.Conflict("No file has been uploaded to this slot yet: PUT it to the upload URL first.");
        if (closed is not null) return await RefuseAsync(file, etag, closed, ct, TooLateType);
        if (uploaded.BlobType != BlobType.Block) return await RefuseAsync(file, etag, "The upload is not a block blob.", ct);
        if (uploaded.Length > options.MaxFileBytes)
            return await RefuseAsync(file, etag, TooLarge(uploaded.Length), ct, TooLargeType);
        if (uploaded.Length != file.DeclaredSize)
            return await RefuseAsync(file, etag, $"The file is {uploaded.Length} bytes, not the {file.DeclaredSize} declared.", ct);

        FileKind declared = FileKinds.ByContentType(file.DeclaredType)!;
        if (FileKinds.Detect(uploaded.Content) is not { } detected)
            return await RefuseAsync(file, etag,
                $"The file is not a {declared.Name} file, nor any kind accepted (PDF, JPEG, PNG, WebP, DOCX, XLSX).", ct);
        if (detected != declared)
            return await RefuseAsync(file, etag, $"The file is a {detected.Name} file, not the {declared.Name} declared.", ct);

        string sha256 = Convert.ToHexStringLower(SHA256.HashData(uploaded.Content.Span));
        string disposition = FileNames.ContentDisposition(file.FileName);
        if (await blobs.KeepAsync(file.BlobName, uploaded, detected.ContentType, disposition, sha256, ct) is not { } keptETag)
            return Problem.Conflict("The file changed while it was being checked; upload it again.");

        EvidenceFile verified = file with
        {
            Status = EvidenceStatus.Verified, ContentType = detected.ContentType, Size = uploaded.Length, Sha256 = sha256,
            UploadedAt = now, BlobETag = keptETag.ToString(),
        };
        if (!await store.UpdateAsync(verified, etag, ct))
            return await store.GetAsync(file.CampaignId, file.BranchId, file.Id, ct, file.ForHonourChange) is ({ IsVerified: true } done, _)
                ? EvidenceView.Of(done)
                : Problem.Conflict("Another request is completing this upload; try again.");
        await blobs.DeleteUploadAsync(file.BlobName, ct);
        log.LogInformation("Evidence {EvidenceId} of {CampaignId}/{BranchId} verified: {Kind}, {Size} bytes, sha256 {Sha256}",
            file.Id, file.CampaignId, file.BranchId, detected.Name, verified.Size, sha256);
        return EvidenceView.Of(verified);
    }

    /// <summary>The evaluation, for the branch's secretary only.</summary>
    async Task<Result<EvaluationContext>> LoadForSecretaryAsync(Caller caller, string campaignId, string branchId, CancellationToken ct)
    {
        Result<EvaluationContext> loaded = await steps.LoadAsync(caller, campaignId, branchId, ct);
        return !loaded.Ok || caller.CanActOn(Roles.BranchSecretary, branchId) ? loaded : Problem.Forbidden(SecretaryOnly);
    }

    /// <summary>The evaluation, for the branch's secretary, while its self-assessment is open.</summary>
    async Task<Result<EvaluationContext>> LoadOpenAsync(Caller caller, string campaignId, string branchId, CancellationToken ct)
    {
        Result<EvaluationContext> loaded = await LoadForSecretaryAsync(caller, campaignId, branchId, ct);
        if (!loaded.Ok) return loaded;
        EvaluationRecord evaluation = loaded.Value.Evaluation;
        if (evaluation.Stage != Stages.AwaitingSelfAssessment)
            return new Problem(ProblemKind.Conflict, "wrong-stage", "The evaluation is not at this stage.",
                $"Evidence is uploaded while the self-assessment is open; the evaluation is {evaluation.Stage}.");
        if (evaluation.StageDeadline is { } deadline && clock.GetUtcNow() > deadline)
            return new Problem(ProblemKind.Conflict, "deadline-passed", "The deadline has passed.",
                $"Self-assessments, and their evidence, were due by {deadline:O}.");
        return loaded;
    }

    /// <summary>
    /// Records the refusal, deletes the upload, and answers why: 422 unless <paramref name="type"/> is too large (413) or
    /// too late (409); a repeat of the completion is answered the same.
    /// </summary>
    async Task<Problem> RefuseAsync(EvidenceFile file, ETag etag, string why, CancellationToken ct, string type = RefusedType)
    {
        await blobs.DeleteUploadAsync(file.BlobName, ct);
        await store.UpdateAsync(file with { Status = EvidenceStatus.Refused, Refusal = why, RefusalType = type }, etag, ct);
        log.LogInformation("Evidence {EvidenceId} of {CampaignId}/{BranchId} refused: {Why}", file.Id, file.CampaignId, file.BranchId, why);
        return Refused(why, type);
    }

    static Problem Refused(string why, string type) => type switch
    {
        TooLargeType => new(ProblemKind.TooLarge, type, "The file is too large.", why),
        TooLateType => new(ProblemKind.Conflict, type, "The file can no longer be added.", why),
        _ => new(ProblemKind.Invalid, RefusedType, "The file was refused.", why),
    };

    string TooLarge(long size) => $"The file is {size} bytes; at most {options.MaxFileBytes} are accepted.";
}
