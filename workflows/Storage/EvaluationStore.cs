using Azure;
using Azure.Data.Tables;
using Eval.Workflows.Domain;

namespace Eval.Workflows.Storage;

/// <summary>
/// Table Evaluations: PartitionKey = campaign id, RowKey = branch id. The orchestration of each evaluation is
/// its only writer of state (through <see cref="ApplyAsync"/>); the API reads it.
/// </summary>
public sealed class EvaluationStore(EvalTables tables)
{
    TableClient Table => tables.Table(EvalTables.Evaluations);

    public async Task<(EvaluationRecord Record, ETag ETag)?> GetAsync(string campaignId, string branchId, CancellationToken ct = default)
    {
        NullableResponse<TableEntity> row = await Table.GetEntityIfExistsAsync<TableEntity>(campaignId, branchId, cancellationToken: ct);
        return row.HasValue ? (FromEntity(row.Value!), row.Value!.ETag) : null;
    }

    /// <summary>The record of an evaluation that must exist (the start wrote it before any workflow or action could run).</summary>
    public async Task<(EvaluationRecord Record, ETag ETag)> GetExistingAsync(
        string campaignId, string branchId, CancellationToken ct = default) =>
        await GetAsync(campaignId, branchId, ct)
            ?? throw new InvalidOperationException($"Evaluation {campaignId}/{branchId} has no record.");

    /// <summary>Writes the first record of many evaluations, 100 to a transaction (one partition per campaign).</summary>
    public async Task CreateAsync(IEnumerable<EvaluationRecord> records, CancellationToken ct = default)
    {
        foreach (EvaluationRecord[] chunk in records.Chunk(100))
        {
            // Upsert: a re-run of the start (after a crash) rewrites the same first record.
            await Table.SubmitTransactionAsync(
                chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(r))), ct);
        }
    }

    /// <summary>
    /// Applies one change once, on top of <paramref name="seen"/> (the record just read, with its ETag), with the hash of
    /// the change's audit link as the new <see cref="EvaluationRecord.AuditHead"/>. A change whose Seq is not newer than
    /// the stored one was applied before (false). A write in between (the API claiming) makes it read and apply again.
    /// </summary>
    public async Task<bool> ApplyAsync(
        EvaluationChange change, string auditHead, (EvaluationRecord Record, ETag ETag) seen, CancellationToken ct = default)
    {
        for (int attempt = 0; ; attempt++)
        {
            var current = attempt == 0 ? seen : await GetExistingAsync(change.CampaignId, change.BranchId, ct);
            if (current.Record.Seq >= change.Seq) return false;
            try
            {
                await Table.UpdateEntityAsync(ToEntity(change.ApplyTo(current.Record) with { AuditHead = auditHead }), current.ETag,
                    TableUpdateMode.Replace, ct);
                return true;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < 10)
            {
            }
        }
    }

    /// <summary>
    /// Records that the API accepted an action, with the event that carries it to the workflow (the record's outbox:
    /// docs/workflows.md, "The outbox"), conditional on the ETag: of two simultaneous requests one wins.
    /// <paramref name="refuse"/> sees the current record and says why the action cannot be taken (null: it can).
    /// A write in between (the workflow recording something) makes it read and decide again. With an operation (the
    /// request's Idempotency-Key) the claim is stored as "claim#op=operation", and a repeat of that operation finds its
    /// own claim and goes on (a process that died after claiming is resumed).
    /// The first attempt decides on <paramref name="seen"/> (the record the caller just read, with its ETag). The write
    /// replaces the whole row, so that the outbox's text columns never keep a stale tail.
    /// </summary>
    public async Task<string?> ClaimAsync(
        (EvaluationRecord Record, ETag ETag) seen, AcceptedAction action, Func<EvaluationRecord, string?> refuse,
        CancellationToken ct = default)
    {
        string campaignId = seen.Record.CampaignId, branchId = seen.Record.BranchId;
        bool keyed = action.Claim.Contains(OperationMark, StringComparison.Ordinal);
        for (int attempt = 0; ; attempt++)
        {
            var (record, etag) = attempt == 0 ? seen : await GetExistingAsync(campaignId, branchId, ct);
            if (keyed && record.Claims.Contains(action.Claim)) return null;
            if (refuse(record) is { } reason) return reason;
            // ToEntity drops the settled
            EvaluationRecord claimed = record with { Claims = [.. record.Claims, action.Claim], Outbox = [.. record.Outbox, action] };
            TableEntity entity = ToEntity(claimed);
            if (EntitySize.Of(entity) > EntitySize.Max) throw new RecordTooLargeException(campaignId, branchId);
            try
            {
                await Table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, ct);
                return null;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < 5)
            {
            }
        }
    }

    /// <summary>
    /// Keeps a joint veto on the record (conditional on the ETag, read again after a write in between), unless
    /// <paramref name="refuse"/> says why not (a veto there already, an evaluation that ended without a level): that reason.
    /// </summary>
    public async Task<string?> MarkJointVetoAsync((EvaluationRecord Record, ETag ETag) seen, JointVeto veto,
        Func<EvaluationRecord, string?> refuse, CancellationToken ct = default)
    {
        for (int attempt = 0; ; attempt++)
        {
            var (record, etag) = attempt == 0 ? seen : await GetExistingAsync(seen.Record.CampaignId, seen.Record.BranchId, ct);
            if (refuse(record) is { } reason) return reason;
            try
            {
                await Table.UpdateEntityAsync(ToEntity(record with { JointVeto = veto }), etag, TableUpdateMode.Replace, ct);
                return null;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < 5)
            {
            }
        }
    }

    /// <summary>
    /// Keeps an urging or extension the API accepted on the record, with the record's supervision as
    /// <paramref name="supervise"/> makes it from the latest record (or the refusal it gives instead), conditional on the
    /// ETag: of two simultaneous urgings one is accepted. The outbox's sweep raises it again until the workflow takes it in
    /// (HasOutbox).
    /// </summary>
    public async Task<string?> SuperviseAsync((EvaluationRecord Record, ETag ETag) seen,
        Func<EvaluationRecord, (SupervisionState? Next, string? Refusal)> supervise, CancellationToken ct = default)
    {
        for (int attempt = 0; ; attempt++)
        {
            var (record, etag) = attempt == 0 ? seen : await GetExistingAsync(seen.Record.CampaignId, seen.Record.BranchId, ct);
            var (next, refusal) = supervise(record);
            if (next is null) return refusal ?? "The evaluation cannot be supervised now.";
            TableEntity entity = ToEntity(record with { Supervision = next });
            if (EntitySize.Of(entity) > EntitySize.Max) throw new RecordTooLargeException(record.CampaignId, record.BranchId);
            try
            {
                await Table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, ct);
                return null;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < 5)
            {
            }
        }
    }

    const string OperationMark = "#op=";

    public static string ClaimEntry(string claim, string? operation) => operation is null ? claim : claim + OperationMark + operation;

    /// <summary>Whether <paramref name="record"/> holds <paramref name="claim"/>, by any operation (ids are 64 hex digits).</summary>
    public static bool HasClaim(EvaluationRecord record, string claim) =>
        record.Claims.Any(c => c == claim
            || (c.Length == claim.Length + OperationMark.Length + 64 && c.StartsWith(claim + OperationMark, StringComparison.Ordinal)));

    /// <summary>Whether this operation (a repeat of one request) claimed <paramref name="claim"/> already.</summary>
    public static bool ClaimedBy(EvaluationRecord record, string claim, string? operation) =>
        operation is not null && record.Claims.Contains(ClaimEntry(claim, operation));

    /// <summary>
    /// Whether this operation claimed a step of <paramref name="stage"/> in any round: a repeat of a request that was
    /// accepted, and then taken in by the workflow, which has moved on (a return opened the next round).
    /// </summary>
    public static bool ClaimedAtStageBy(EvaluationRecord record, string stage, string? operation) =>
        operation is not null && record.Claims.Any(c =>
            c.StartsWith(stage + ":", StringComparison.Ordinal) && c.EndsWith(OperationMark + operation, StringComparison.Ordinal));

    /// <summary>The campaign's evaluations whose outbox holds an action not yet taken in (a scan of one partition).</summary>
    public async Task<List<EvaluationRecord>> WithOutboxAsync(string campaignId, CancellationToken ct = default)
    {
        var found = new List<EvaluationRecord>();
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {campaignId} and HasOutbox eq {true}");
        await foreach (TableEntity row in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
            found.Add(FromEntity(row));
        return found;
    }

    /// <summary>The branch ids of a campaign's evaluations that are not done yet (two columns of one partition).</summary>
    public async Task<List<string>> UnfinishedAsync(string campaignId, CancellationToken ct = default)
    {
        var unfinished = new List<string>();
        await foreach (var row in Query(campaignId, null, null, select: ["RowKey", "Stage"], pageSize: 1000).WithCancellation(ct))
            if (row.GetString("Stage") != Stages.Done) unfinished.Add(row.RowKey);
        return unfinished;
    }

    /// <summary>
    /// Up to <paramref name="count"/> branch ids of the campaign's evaluations after <paramref name="after"/>, in key order.
    /// </summary>
    public async Task<List<string>> BranchesAfterAsync(string campaignId, string? after, int count, CancellationToken ct = default)
    {
        string filter = after is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {campaignId}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {campaignId} and RowKey gt {after}");
        var branches = new List<string>(count);
        var rows = Table.QueryAsync<TableEntity>(filter, maxPerPage: count, select: ["RowKey"], cancellationToken: ct);
        await foreach (TableEntity row in rows)
        {
            branches.Add(row.RowKey);
            if (branches.Count == count) break;
        }
        return branches;
    }

    public AsyncPageable<TableEntity> Query(
        string campaignId, string? unitScope, string? stage, IEnumerable<string>? select = null, int pageSize = 100)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {campaignId}");
        if (unitScope is not null)
        {
            // Branch ids under a unit: the unit itself, or ids in [unit + ".", unit + "/") — '/' sorts right after '.'.
            filter += " and " + TableClient.CreateQueryFilter(
                $"((RowKey eq {unitScope}) or (RowKey ge {unitScope + "."} and RowKey lt {unitScope + "/"}))");
        }
        if (stage is not null) filter += " and " + TableClient.CreateQueryFilter($"Stage eq {stage}");
        return Table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize, select: select);
    }

    public static TableEntity ToEntity(EvaluationRecord r)
    {
        var e = new TableEntity(r.CampaignId, r.BranchId)
        {
            ["BranchName"] = r.BranchName,
            ["Category"] = r.Category,
            ["Stage"] = r.Stage,
            ["Outcome"] = r.Outcome,
            ["Overdue"] = r.Overdue,
            ["Round"] = r.Round,
            ["StageDeadline"] = r.StageDeadline,
            ["FinalScore"] = (double?)r.FinalScore,
            ["UnityShare"] = (double?)r.UnityShare,
            ["Seq"] = r.Seq,
            ["AuditHead"] = r.AuditHead,
            ["Claims"] = Json.Write(r.Claims),
            // What the level gates ask, kept beside the record so the ranking reads two small columns, not its JSON.
            ["Flags"] = r.Scores.SelectMany(s => s.Score.Flags ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .ToArray() is { Length: > 0 } flags ? string.Join(',', flags) : null,
            ["EvidenceFiles"] = r.Submission?.Assessment.Evidence?.Count(e => e.File is not null) ?? 0,
            ["AppraisalOpensAt"] = r.AppraisalOpensAt,
            ["Appraisal"] = r.Appraisal is null ? null : Json.Write(r.Appraisal),
            // The appraisal's gate reads these two: the satisfaction of a valid appraisal, or why it does not count.
            ["AppraisalSatisfaction"] = r.Appraisal is { Valid: true, Satisfaction: { } satisfaction } ? (double)satisfaction : null,
            ["AppraisalInvalid"] = r.Appraisal?.Invalid,
            // Small, and read by the ranking for the no-revocation gate.
            ["Register"] = r.Register is null ? null : Json.Write(r.Register),
        };
        // Settled actions are dropped here, at the record's next write, whoever writes it.
        List<AcceptedAction> outbox = [.. r.UnsettledActions()];
        SupervisionState supervision = r.Supervision with { Pending = [.. r.UnsettledSupervision()] };
        e["HasOutbox"] = outbox.Count > 0 || supervision.Pending.Count > 0;
        e["WorkflowVersion"] = r.WorkflowVersion;
        bool supervised = supervision.Pending.Count > 0 || supervision.Accepted.Count > 0 || supervision.LastUrgedAt is not null;
        TableText.Write(e, "Supervision", supervised ? Json.Write(supervision) : null);
        TableText.Write(e, "Submission", r.Submission is null ? null : Json.Write(r.Submission));
        TableText.Write(e, "Review", r.Review is null ? null : Json.Write(r.Review));
        TableText.Write(e, "Breakdown", r.Breakdown is null ? null : Json.Write(r.Breakdown));
        e["JointVeto"] = r.JointVeto is null ? null : Json.Write(r.JointVeto);
        TableText.Write(e, "Scores", Json.Write(r.Scores));
        TableText.Write(e, "History", Json.Write(r.History));
        TableText.Write(e, "Outbox", outbox.Count > 0 ? Json.Write(outbox) : null);
        return e;
    }

    public static EvaluationRecord FromEntity(TableEntity e) => new()
    {
        CampaignId = e.PartitionKey,
        BranchId = e.RowKey,
        BranchName = e.GetString("BranchName") ?? e.RowKey,
        Category = e.GetString("Category"),
        Register = Json.Read<BranchRegister>(e.GetString("Register")),
        Stage = e.GetString("Stage") ?? Stages.AwaitingSelfAssessment,
        Outcome = e.GetString("Outcome"),
        Overdue = e.GetBoolean("Overdue") ?? false,
        Round = e.GetInt32("Round") ?? 0,
        StageDeadline = e.GetDateTimeOffset("StageDeadline"),
        FinalScore = e.GetDouble("FinalScore") is double f ? (decimal)f : null,
        UnityShare = e.GetDouble("UnityShare") is double u ? (decimal)u : null,
        Submission = Json.Read<SubmissionEntry>(TableText.Read(e, "Submission")),
        Review = Json.Read<ReviewEntry>(TableText.Read(e, "Review")),
        Breakdown = Json.Read<ScoreBreakdown>(TableText.Read(e, "Breakdown")),
        JointVeto = Json.Read<JointVeto>(e.GetString("JointVeto")),
        AppraisalOpensAt = e.GetDateTimeOffset("AppraisalOpensAt"),
        Appraisal = Json.Read<AppraisalResult>(e.GetString("Appraisal")),
        Scores = Json.Read<List<ScoreEntry>>(TableText.Read(e, "Scores")) ?? [],
        History = Json.Read<List<HistoryEntry>>(TableText.Read(e, "History")) ?? [],
        Seq = e.GetInt32("Seq") ?? 0,
        AuditHead = e.GetString("AuditHead"),
        Claims = Json.Read<List<string>>(e.GetString("Claims")) ?? [],
        Outbox = Json.Read<List<AcceptedAction>>(TableText.Read(e, "Outbox")) ?? [],
        WorkflowVersion = e.GetInt32("WorkflowVersion"),
        Supervision = Json.Read<SupervisionState>(TableText.Read(e, "Supervision")) ?? new(),
    };
}
