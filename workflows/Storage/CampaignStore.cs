using Azure;
using Azure.Data.Tables;
using Eval.Workflows.Domain;

namespace Eval.Workflows.Storage;

/// <summary>Table Campaigns: PartitionKey = campaign id, RowKey = "campaign". Writes are conditional on the ETag.</summary>
public sealed class CampaignStore(EvalTables tables)
{
    public const string RowKey = "campaign";

    TableClient Table => tables.Table(EvalTables.Campaigns);

    public async Task<(CampaignRecord Record, ETag ETag)?> GetAsync(string campaignId, CancellationToken ct = default)
    {
        NullableResponse<TableEntity> row = await Table.GetEntityIfExistsAsync<TableEntity>(campaignId, RowKey, cancellationToken: ct);
        return row.HasValue ? (FromEntity(row.Value!), row.Value!.ETag) : null;
    }

    /// <summary>Every campaign (a city holds one per county and year: tens of rows), optionally of one status.</summary>
    public async Task<List<CampaignRecord>> ListAsync(string? status, CancellationToken ct = default)
    {
        string filter = status is null
            ? TableClient.CreateQueryFilter($"RowKey eq {RowKey}")
            : TableClient.CreateQueryFilter($"RowKey eq {RowKey} and Status eq {status}");
        var list = new List<CampaignRecord>();
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
            list.Add(FromEntity(e));
        return list;
    }

    /// <summary>False when a campaign with this id exists already.</summary>
    public async Task<bool> TryCreateAsync(CampaignRecord record, CancellationToken ct = default)
    {
        try { await Table.AddEntityAsync(ToEntity(record), ct); return true; }
        catch (RequestFailedException e) when (e.Status == 409) { return false; }
    }

    /// <summary>False when someone else changed the campaign since <paramref name="etag"/> was read.</summary>
    public async Task<bool> TryReplaceAsync(CampaignRecord record, ETag etag, CancellationToken ct = default)
    {
        try { await Table.UpdateEntityAsync(ToEntity(record), etag, TableUpdateMode.Replace, ct); return true; }
        catch (RequestFailedException e) when (e.Status == 412) { return false; }
    }

    /// <summary>Read, change, write with the ETag; again on a conflict. For the campaign orchestration's own steps.</summary>
    public async Task<CampaignRecord> UpdateAsync(
        string campaignId, Func<CampaignRecord, CampaignRecord> change, CancellationToken ct = default)
    {
        while (true)
        {
            var (record, etag) = await GetAsync(campaignId, ct) ?? throw new InvalidOperationException($"No campaign '{campaignId}'.");
            CampaignRecord changed = change(record);
            if (await TryReplaceAsync(changed, etag, ct)) return changed;
        }
    }

    static TableEntity ToEntity(CampaignRecord r)
    {
        var e = new TableEntity(r.Definition.Id, RowKey)
        {
            ["Title"] = r.Definition.Title,
            ["Unit"] = r.Definition.Unit,
            ["Status"] = r.Status,
            ["CreatedAt"] = r.CreatedAt,
            ["CreatedBy"] = r.CreatedBy,
            ["StartedAt"] = r.StartedAt,
            ["BranchCount"] = r.BranchCount,
            ["PublicationRequestedAt"] = r.PublicationRequestedAt,
            ["Forced"] = r.Forced,
            ["PublicityEndsAt"] = r.PublicityEndsAt,
            ["NoticeClosed"] = r.NoticeClosed,
            ["PublishedAt"] = r.PublishedAt,
            ["StartOperation"] = r.StartOperation,
            ["CreateOperation"] = r.CreateOperation,
            ["PublicationOperation"] = r.PublicationOperation,
            ["StatementVersion"] = r.StatementVersion,
        };
        TableText.Write(e, "Definition", Json.Write(r.Definition));
        e["PublicationRequest"] = r.PublicationRequest is null ? null : Json.Write(r.PublicationRequest);
        e["PublicationRequestMac"] = r.PublicationRequestMac;
        return e;
    }

    static CampaignRecord FromEntity(TableEntity e) => new()
    {
        Definition = Json.Read<CampaignDefinition>(TableText.Read(e, "Definition"))!,
        Status = e.GetString("Status")!,
        CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? default,
        CreatedBy = e.GetString("CreatedBy") ?? "",
        StartedAt = e.GetDateTimeOffset("StartedAt"),
        BranchCount = e.GetInt32("BranchCount"),
        PublicationRequestedAt = e.GetDateTimeOffset("PublicationRequestedAt"),
        Forced = e.GetBoolean("Forced") ?? false,
        PublicityEndsAt = e.GetDateTimeOffset("PublicityEndsAt"),
        NoticeClosed = e.GetBoolean("NoticeClosed") ?? false,
        PublishedAt = e.GetDateTimeOffset("PublishedAt"),
        StartOperation = e.GetString("StartOperation"),
        CreateOperation = e.GetString("CreateOperation"),
        PublicationOperation = e.GetString("PublicationOperation"),
        PublicationRequest = Json.Read<PublicationRequested>(e.GetString("PublicationRequest")),
        StatementVersion = e.GetInt32("StatementVersion"),
        PublicationRequestMac = e.GetString("PublicationRequestMac"),
    };
}
