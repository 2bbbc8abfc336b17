using Azure;
using Azure.Data.Tables;
using Eval.Workflows.Domain;

namespace Eval.Workflows.Storage;

/// <summary>Table Objections: PartitionKey = campaign id, RowKey = objection id.</summary>
public sealed class ObjectionStore(EvalTables tables)
{
    TableClient Table => tables.Table(EvalTables.Objections);

    /// <summary>Adds the objection; false when one with its id exists already.</summary>
    public async Task<bool> TryAddAsync(ObjectionRecord o, CancellationToken ct = default)
    {
        try { await Table.AddEntityAsync(ToEntity(o), ct); return true; }
        catch (RequestFailedException e) when (e.Status == 409) { return false; }
    }

    public Task DeleteAsync(string campaignId, string id, CancellationToken ct = default) => Table.DeleteEntityAsync(campaignId, id, ETag.All, ct);

    public async Task<(ObjectionRecord Record, ETag ETag)?> GetAsync(string campaignId, string id, CancellationToken ct = default)
    {
        NullableResponse<TableEntity> row = await Table.GetEntityIfExistsAsync<TableEntity>(campaignId, id, cancellationToken: ct);
        return row.HasValue ? (FromEntity(row.Value!), row.Value!.ETag) : null;
    }

    /// <summary>False when the objection changed since it was read (someone else resolved it).</summary>
    public async Task<bool> TryReplaceAsync(ObjectionRecord o, ETag etag, CancellationToken ct = default)
    {
        try { await Table.UpdateEntityAsync(ToEntity(o), etag, TableUpdateMode.Replace, ct); return true; }
        catch (RequestFailedException e) when (e.Status == 412) { return false; }
    }

    /// <summary>The branches with an upheld objection: their level is revoked on the published list.</summary>
    public async Task<HashSet<string>> UpheldBranchesAsync(string campaignId, CancellationToken ct = default)
    {
        var branches = new HashSet<string>(StringComparer.Ordinal);
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {campaignId} and Status eq {ObjectionStatus.Upheld}");
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(filter, select: ["BranchId"], cancellationToken: ct)) branches.Add(e.GetString("BranchId")!);
        return branches;
    }

    /// <summary>A campaign's objections (one partition; a notice draws tens, not thousands), optionally of one status, oldest first.</summary>
    public async Task<List<ObjectionRecord>> ListAsync(string campaignId, string? status, CancellationToken ct = default)
    {
        string filter = status is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {campaignId}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {campaignId} and Status eq {status}");
        var list = new List<ObjectionRecord>();
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct)) list.Add(FromEntity(e));
        return [.. list.OrderBy(o => o.FiledAt).ThenBy(o => o.Id, StringComparer.Ordinal)];
    }

    public async Task<int> CountOpenAsync(string campaignId, CancellationToken ct = default)
    {
        int open = 0;
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {campaignId} and Status eq {ObjectionStatus.Open}");
        await foreach (var _ in Table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: ct)) open++;
        return open;
    }

    static TableEntity ToEntity(ObjectionRecord o) => new(o.CampaignId, o.Id)
    {
        ["BranchId"] = o.BranchId,
        ["Text"] = o.Text,
        ["FiledBy"] = Json.Write(o.FiledBy),
        ["FiledAt"] = o.FiledAt,
        ["Status"] = o.Status,
        ["Comment"] = o.Comment,
        ["ResolvedBy"] = o.ResolvedBy is null ? null : Json.Write(o.ResolvedBy),
        ["ResolvedAt"] = o.ResolvedAt,
        ["ResolveOperation"] = o.ResolveOperation,
    };

    static ObjectionRecord FromEntity(TableEntity e) => new(e.PartitionKey, e.RowKey, e.GetString("BranchId")!, e.GetString("Text") ?? "",
        Json.Read<Actor>(e.GetString("FiledBy"))!, e.GetDateTimeOffset("FiledAt") ?? default)
    {
        Status = e.GetString("Status") ?? ObjectionStatus.Open,
        Comment = e.GetString("Comment"),
        ResolvedBy = Json.Read<Actor>(e.GetString("ResolvedBy")),
        ResolvedAt = e.GetDateTimeOffset("ResolvedAt"),
        ResolveOperation = e.GetString("ResolveOperation"),
    };
}
