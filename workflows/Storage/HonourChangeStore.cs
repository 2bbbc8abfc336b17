using Azure;
using Azure.Data.Tables;
using Eval.Workflows.Domain;

namespace Eval.Workflows.Storage;

/// <summary>
/// Table HonourChanges, PartitionKey = campaign id. A change's row (RowKey "{branch}|{change id}") holds its record as
/// JSON beside its Status; each objection to it is a row "{branch}|{change id}|{filer}" (one per person and change); and
/// per branch a row "{branch}|open" names the branch's open change. A change is proposed in one transaction with that
/// row, and an objection filed or resolved in one with its change's row (conditional on its ETag), so one change at a
/// time per honour, and the counts of objections, hold however many requests arrive at once.
/// </summary>
public sealed class HonourChangeStore(EvalTables tables)
{
    const string ChangeRow = "change", ObjectionRow = "objection", OpenRow = "open";

    TableClient Table => tables.Table(EvalTables.HonourChanges);

    public enum ProposeOutcome { Proposed, OpenChange, Contended }

    public static string RowKey(string branchId, string changeId) => $"{branchId}|{changeId}";

    static string OpenKey(string branchId) => $"{branchId}|{OpenRow}";

    static string ObjectionKey(string branchId, string changeId, string filer) => $"{branchId}|{changeId}|{filer}";

    /// <summary>The objection id of a caller on a change: their filer key, so that each person objects once.</summary>
    public static string ObjectionIdOf(string callerId) => ObjectionIds.Prefix + ObjectionStore.FilerKey(callerId);

    /// <summary>
    /// Adds the change unless its branch has an open one; for <see cref="ProposeOutcome.OpenChange"/> the open change's id.
    /// </summary>
    public async Task<(ProposeOutcome Outcome, string? OpenId)> ProposeAsync(HonourChange change, CancellationToken ct = default)
    {
        for (int attempt = 0; attempt < 5; attempt++)
        {
            NullableResponse<TableEntity> read = await Table.GetEntityIfExistsAsync<TableEntity>(change.CampaignId,
                OpenKey(change.BranchId), cancellationToken: ct);
            TableEntity? open = read.HasValue ? read.Value : null;
            if (open?.GetBoolean("Open") == true) return (ProposeOutcome.OpenChange, open.GetString("ChangeId"));
            var mark = new TableEntity(change.CampaignId, OpenKey(change.BranchId))
            {
                ["Row"] = OpenRow, ["Open"] = true, ["ChangeId"] = change.Id,
            };
            try
            {
                await Table.SubmitTransactionAsync(
                [
                    new(TableTransactionActionType.Add, ToEntity(change)),
                    open is null
                        ? new(TableTransactionActionType.Add, mark) : new(TableTransactionActionType.UpdateReplace, mark, open.ETag),
                ], ct);
                return (ProposeOutcome.Proposed, null);
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && e.FailedTransactionActionIndex is not 0)
            {
                // Another proposal for the branch took the mark first: read it again.
            }
        }
        return (ProposeOutcome.Contended, null);
    }

    public async Task<(HonourChange Change, ETag ETag)?> GetAsync(string campaignId, string branchId, string changeId,
        CancellationToken ct = default)
    {
        NullableResponse<TableEntity> row = await Table.GetEntityIfExistsAsync<TableEntity>(campaignId, RowKey(branchId, changeId),
            cancellationToken: ct);
        return row.HasValue && Json.Read<HonourChange>(row.Value!.GetString("Record")) is { } change ? (change, row.Value.ETag) : null;
    }

    /// <summary>The branch's changes in this campaign, oldest first (ids are time-ordered).</summary>
    public async Task<List<HonourChange>> ListAsync(string campaignId, string branchId, CancellationToken ct = default)
    {
        var changes = new List<HonourChange>();
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(OfBranch(campaignId, branchId, ChangeRow), cancellationToken: ct))
            if (Json.Read<HonourChange>(e.GetString("Record")) is { } change) changes.Add(change);
        return changes;
    }

    /// <summary>Every change of the campaign's honours (for the audit verifier: not a request's path).</summary>
    public async IAsyncEnumerable<HonourChange> ReadCampaignAsync(string campaignId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {campaignId} and Row eq {ChangeRow}");
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
            if (Json.Read<HonourChange>(e.GetString("Record")) is { } change) yield return change;
    }

    /// <summary>The change a keyed request proposed, if it did.</summary>
    public async Task<HonourChange?> ProposedByAsync(string campaignId, string branchId, string operation,
        CancellationToken ct = default) =>
        (await ListAsync(campaignId, branchId, ct)).FirstOrDefault(c => c.ProposeOperation == operation);

    /// <summary>Replaces the change if it is unchanged since read; false when someone changed it first.</summary>
    public async Task<bool> TryReplaceAsync(HonourChange change, ETag etag, CancellationToken ct = default)
    {
        try
        {
            await Table.UpdateEntityAsync(ToEntity(change), etag, TableUpdateMode.Replace, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    /// <summary>
    /// Writes an ended change (refused, withdrawn, applied) and frees its branch for the next proposal, in one transaction.
    /// False when the change changed since read.
    /// </summary>
    public async Task<bool> TryEndAsync(HonourChange ended, ETag etag, CancellationToken ct = default)
    {
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, ToEntity(ended), etag) };
        NullableResponse<TableEntity> open = await Table.GetEntityIfExistsAsync<TableEntity>(ended.CampaignId, OpenKey(ended.BranchId),
            cancellationToken: ct);
        if (open.HasValue && open.Value!.GetString("ChangeId") == ended.Id && open.Value.GetBoolean("Open") == true)
        {
            open.Value["Open"] = false;
            actions.Add(new(TableTransactionActionType.UpdateReplace, open.Value, open.Value.ETag));
        }
        try
        {
            await Table.SubmitTransactionAsync(actions, ct);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 412)
        {
            return false;
        }
    }

    public enum FileOutcome { Filed, AlreadyFiled, ChangeChanged }

    /// <summary>Files the objection and counts it on its change (as read at <paramref name="etag"/>), in one transaction.</summary>
    public async Task<FileOutcome> FileObjectionAsync(HonourChange counted, ETag etag, HonourChangeObjection objection,
        CancellationToken ct = default)
    {
        try
        {
            await Table.SubmitTransactionAsync(
            [
                new(TableTransactionActionType.Add, ToEntity(objection)),
                new(TableTransactionActionType.UpdateReplace, ToEntity(counted), etag),
            ], ct);
            return FileOutcome.Filed;
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 && e.FailedTransactionActionIndex is 0)
        {
            return FileOutcome.AlreadyFiled;
        }
        catch (TableTransactionFailedException e) when (e.Status is 412)
        {
            return FileOutcome.ChangeChanged;
        }
    }

    public async Task<(HonourChangeObjection Objection, ETag ETag)?> GetObjectionAsync(string campaignId, string branchId,
        string changeId, string objectionId, CancellationToken ct = default)
    {
        if (!ObjectionIds.IsValid(objectionId)) return null;
        NullableResponse<TableEntity> row = await Table.GetEntityIfExistsAsync<TableEntity>(campaignId,
            ObjectionKey(branchId, changeId, objectionId[ObjectionIds.Prefix.Length..]), cancellationToken: ct);
        return row.HasValue && Json.Read<HonourChangeObjection>(row.Value!.GetString("Record")) is { } o ? (o, row.Value.ETag) : null;
    }

    /// <summary>The change's objections, in the order of their filers' keys.</summary>
    public async Task<List<HonourChangeObjection>> ObjectionsAsync(string campaignId, string branchId, string changeId,
        CancellationToken ct = default)
    {
        var list = new List<HonourChangeObjection>();
        string prefix = RowKey(branchId, changeId) + "|";
        string filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {campaignId} and RowKey gt {prefix} and RowKey lt {RowKey(branchId, changeId) + "}"}");
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            if (Json.Read<HonourChangeObjection>(e.GetString("Record")) is { } o) list.Add(o);
        return list;
    }

    /// <summary>Records the objection's resolution and counts it on its change, in one transaction; false when either changed.</summary>
    public async Task<bool> TryResolveObjectionAsync(HonourChange counted, ETag changeETag, HonourChangeObjection resolved,
        ETag objectionETag, CancellationToken ct = default)
    {
        try
        {
            await Table.SubmitTransactionAsync(
            [
                new(TableTransactionActionType.UpdateReplace, ToEntity(resolved), objectionETag),
                new(TableTransactionActionType.UpdateReplace, ToEntity(counted), changeETag),
            ], ct);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 412)
        {
            return false;
        }
    }

    static string OfBranch(string campaignId, string branchId, string row) => TableClient.CreateQueryFilter(
        $"PartitionKey eq {campaignId} and RowKey gt {branchId + "|"} and RowKey lt {branchId + "}"} and Row eq {row}");

    static TableEntity ToEntity(HonourChange c) => new(c.CampaignId, RowKey(c.BranchId, c.Id))
    {
        ["Row"] = ChangeRow, ["Status"] = c.Status, ["Record"] = Json.Write(c),
    };

    static TableEntity ToEntity(HonourChangeObjection o) =>
        new(o.CampaignId, ObjectionKey(o.BranchId, o.ChangeId, o.Id[ObjectionIds.Prefix.Length..]))
        {
            ["Row"] = ObjectionRow, ["Status"] = o.Status, ["Record"] = Json.Write(o),
        };
}
