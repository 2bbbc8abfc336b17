using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Eval.Workflows.Domain;

namespace Eval.Workflows.Storage;

/// <summary>
/// Table Objections, PartitionKey = campaign id. Beside each objection (RowKey = its id, "obj-…") the partition keeps,
/// per filer, a count of their objections ("filer~{filer}") and, per filer and branch, which of their objections is
/// open ("open~{filer}~{branch}"). An objection is filed, and resolved, in one transaction with those rows, so the
/// limits hold however many requests arrive at once: one open objection per filer and branch, and at most so many
/// objections per filer and campaign. The filer is a hash of the caller's id (ids may hold characters keys may not).
/// </summary>
public sealed class ObjectionStore(EvalTables tables)
{
    const string FilerPrefix = "filer~", OpenPrefix = "open~";

    TableClient Table => tables.Table(EvalTables.Objections);

    public enum FileOutcome { Filed, OpenOnBranch, LimitReached, Contended }

    /// <summary>What a filing did; for OpenOnBranch, <see cref="OpenId"/> is the filer's open objection on the branch.</summary>
    public sealed record FileResult(FileOutcome Outcome, string? OpenId = null);

    /// <summary>The key that stands for a caller in this table's row keys.</summary>
    public static string FilerKey(string callerId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(callerId)))[..32];

    /// <summary>The objection the caller filed on the branch with this operation (a keyed request), if it did.</summary>
    public async Task<ObjectionRecord?> FiledByAsync(string campaignId, string callerId, string branchId, string operation,
        CancellationToken ct = default)
    {
        NullableResponse<TableEntity> guard = await ReadAsync(campaignId, GuardKey(FilerKey(callerId), branchId), ct);
        return guard.HasValue && guard.Value!.GetString("Operation") == operation && guard.Value.GetString("ObjectionId") is { } id
            && await GetAsync(campaignId, id, ct) is { } filed ? filed.Record : null;
    }

    /// <summary>
    /// Files the objection unless its filer has one open on the branch or has filed <paramref name="maxPerFiler"/> already.
    /// </summary>
    public async Task<FileResult> FileAsync(ObjectionRecord objection, int maxPerFiler, CancellationToken ct = default)
    {
        string filer = FilerKey(objection.FiledBy.Id), guardKey = GuardKey(filer, objection.BranchId), countKey = FilerPrefix + filer;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            Task<NullableResponse<TableEntity>> guardRead = ReadAsync(objection.CampaignId, guardKey, ct);
            Task<NullableResponse<TableEntity>> countRead = ReadAsync(objection.CampaignId, countKey, ct);
            TableEntity? guard = (await guardRead).HasValue ? (await guardRead).Value : null;
            TableEntity? count = (await countRead).HasValue ? (await countRead).Value : null;

            if (guard?.GetBoolean("Open") == true) return new FileResult(FileOutcome.OpenOnBranch, OpenId: guard.GetString("ObjectionId"));
            int filed = count?.GetInt32("Count") ?? 0;
            if (filed >= maxPerFiler) return new FileResult(FileOutcome.LimitReached);

            var newGuard = new TableEntity(objection.CampaignId, guardKey)
            {
                ["Open"] = true, ["ObjectionId"] = objection.Id, ["Operation"] = objection.FileOperation,
            };
            var newCount = new TableEntity(objection.CampaignId, countKey) { ["Count"] = filed + 1 };
            List<TableTransactionAction> actions =
            [
                new(TableTransactionActionType.Add, ToEntity(objection, filer)),
                AddOrReplace(newGuard, guard),
                AddOrReplace(newCount, count),
            ];
            try
            {
                await Table.SubmitTransactionAsync(actions, ct);
                return new FileResult(FileOutcome.Filed);
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && e.FailedTransactionActionIndex is not 0)
            {
                // Another filing by the same caller changed their rows first: read them again.
            }
        }
        return new FileResult(FileOutcome.Contended);
    }

    /// <summary>
    /// Removes an objection that must not stand (written after the notice closed), with its open mark; its filer's
    /// count stays, as the filing happened.
    /// </summary>
    public async Task RemoveAsync(ObjectionRecord objection, CancellationToken ct = default)
    {
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.Delete, new TableEntity(objection.CampaignId, objection.Id), ETag.All),
        };
        if (await GuardOfAsync(objection, ct) is { } guard) actions.Add(new(TableTransactionActionType.Delete, guard, guard.ETag));
        try { await Table.SubmitTransactionAsync(actions, ct); }
        catch (TableTransactionFailedException e) when (e.Status is 404) { } // removed already
    }

    public async Task<(ObjectionRecord Record, ETag ETag)?> GetAsync(string campaignId, string id, CancellationToken ct = default)
    {
        NullableResponse<TableEntity> row = await Table.GetEntityIfExistsAsync<TableEntity>(campaignId, id, cancellationToken: ct);
        return row.HasValue ? (FromEntity(row.Value!), row.Value!.ETag) : null;
    }

    /// <summary>
    /// Records a resolution, and frees the filer to object to the branch again, in one transaction. False when the
    /// objection changed since it was read (someone else resolved it).
    /// </summary>
    public async Task<bool> TryResolveAsync(ObjectionRecord resolved, ETag etag, CancellationToken ct = default)
    {
        string filer = FilerKey(resolved.FiledBy.Id);
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, ToEntity(resolved, filer), etag) };
        if (await GuardOfAsync(resolved, ct) is { } guard)
        {
            guard["Open"] = false;
            actions.Add(new(TableTransactionActionType.UpdateReplace, guard, guard.ETag));
        }
        try
        {
            await Table.SubmitTransactionAsync(actions, ct);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>The branches with an upheld objection: their level is revoked on the published list.</summary>
    public async Task<HashSet<string>> UpheldBranchesAsync(string campaignId, CancellationToken ct = default)
    {
        var branches = new HashSet<string>(StringComparer.Ordinal);
        string filter = ObjectionsOf(campaignId) + " and " + TableClient.CreateQueryFilter($"Status eq {ObjectionStatus.Upheld}");
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(filter, select: ["BranchId"], cancellationToken: ct))
            branches.Add(e.GetString("BranchId"));
        return branches;
    }

    /// <summary>
    /// A campaign's objections in id order, which is the order they were filed in (ids begin with the filing time),
    /// optionally only one status or one filer's; page by page.
    /// </summary>
    public AsyncPageable<TableEntity> Query(string campaignId, string? status, string? filedById, int pageSize)
    {
        string filter = ObjectionsOf(campaignId);
        if (status is not null) filter += " and " + TableClient.CreateQueryFilter($"Status eq {status}");
        if (filedById is not null) filter += " and " + TableClient.CreateQueryFilter($"Filer eq {FilerKey(filedById)}");
        return Table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize);
    }

    public async Task<int> CountOpenAsync(string campaignId, CancellationToken ct = default)
    {
        int open = 0;
        string filter = ObjectionsOf(campaignId) + " and " + TableClient.CreateQueryFilter($"Status eq {ObjectionStatus.Open}");
        await foreach (var _ in Table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: ct)) open++;
        return open;
    }

    /// <summary>The objection rows of a campaign's partition ("obj-…"; '.' sorts right after '-'), not the filers' rows.</summary>
    static string ObjectionsOf(string campaignId) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {campaignId} and RowKey ge {ObjectionIds.Prefix} and RowKey lt {"obj."}");

    static string GuardKey(string filer, string branchId) => $"{OpenPrefix}{filer}~{branchId}";

    /// <summary>The open mark of the objection's filer and branch, when it is this objection's.</summary>
    async Task<TableEntity?> GuardOfAsync(ObjectionRecord o, CancellationToken ct)
    {
        NullableResponse<TableEntity> row = await ReadAsync(o.CampaignId, GuardKey(FilerKey(o.FiledBy.Id), o.BranchId), ct);
        return row.HasValue && row.Value!.GetString("ObjectionId") == o.Id ? row.Value : null;
    }

    Task<NullableResponse<TableEntity>> ReadAsync(string campaignId, string rowKey, CancellationToken ct) =>
        Table.GetEntityIfExistsAsync<TableEntity>(campaignId, rowKey, cancellationToken: ct);

    /// <summary>Adds the row, or replaces it if it was read (<paramref name="read"/>), failing if it changed since.</summary>
    static TableTransactionAction AddOrReplace(TableEntity row, TableEntity? read) => read is null
        ? new(TableTransactionActionType.Add, row)
        : new(TableTransactionActionType.UpdateReplace, row, read.ETag);

    static TableEntity ToEntity(ObjectionRecord o, string filer) => new(o.CampaignId, o.Id)
    {
        ["BranchId"] = o.BranchId,
        ["Text"] = o.Text,
        ["FiledBy"] = Json.Write(o.FiledBy),
        ["Filer"] = filer,
        ["FiledAt"] = o.FiledAt,
        ["FileOperation"] = o.FileOperation,
        ["Status"] = o.Status,
        ["Comment"] = o.Comment,
        ["ResolvedBy"] = o.ResolvedBy is null ? null : Json.Write(o.ResolvedBy),
        ["ResolvedAt"] = o.ResolvedAt,
        ["ResolveOperation"] = o.ResolveOperation,
    };

    public static ObjectionRecord FromEntity(TableEntity e) => new(e.PartitionKey, e.RowKey, e.GetString("BranchId")!,
        e.GetString("Text") ?? "", Json.Read<Actor>(e.GetString("FiledBy"))!, e.GetDateTimeOffset("FiledAt") ?? default)
    {
        Status = e.GetString("Status") ?? ObjectionStatus.Open,
        Comment = e.GetString("Comment"),
        ResolvedBy = Json.Read<Actor>(e.GetString("ResolvedBy")),
        ResolvedAt = e.GetDateTimeOffset("ResolvedAt"),
        FileOperation = e.GetString("FileOperation"),
        ResolveOperation = e.GetString("ResolveOperation"),
    };
}
