using Azure;
using Azure.Data.Tables;
using Eval.Workflows.Domain;

namespace Eval.Workflows.Storage;

/// <summary>
/// Table Evidence: PartitionKey = "{campaign}|{branch}", RowKey = the evidence id ("ev-…"), the file's record as JSON
/// beside its Status and Round. A branch's files are one partition, small by its quota; a row "quota|{round}" is
/// updated with every new slot of the round, in one transaction with the slot, so two slots asked for at once cannot
/// both take the last place of the quota.
/// </summary>
public sealed class EvidenceStore(EvalTables tables)
{
    const string QuotaPrefix = "quota|";

    TableClient Table => tables.Table(EvalTables.Evidence);

    public static string PartitionOf(string campaignId, string branchId, bool forHonourChange = false) =>
        forHonourChange ? $"{campaignId}|{branchId}|changes" : $"{campaignId}|{branchId}";

    static string PartitionOf(EvidenceFile file) => PartitionOf(file.CampaignId, file.BranchId, file.ForHonourChange);

    /// <summary>Every file of the branch in the campaign, by id (one partition).</summary>
    public async Task<IReadOnlyDictionary<string, EvidenceFile>> ListAsync(string campaignId, string branchId,
        CancellationToken ct = default, bool forHonourChange = false)
    {
        var files = new Dictionary<string, EvidenceFile>(StringComparer.Ordinal);
        string partition = PartitionOf(campaignId, branchId, forHonourChange);
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {"ev-"} and RowKey lt {"ev."}");
        await foreach (TableEntity row in Table.QueryAsync<TableEntity>(filter, select: ["RowKey", "Record"], cancellationToken: ct))
            if (Json.Read<EvidenceFile>(row.GetString("Record")) is { } file) files[file.Id] = file;
        return files;
    }

    public async Task<(EvidenceFile File, ETag ETag)?> GetAsync(string campaignId, string branchId, string evidenceId,
        CancellationToken ct = default, bool forHonourChange = false)
    {
        NullableResponse<TableEntity> row = await Table.GetEntityIfExistsAsync<TableEntity>(
            PartitionOf(campaignId, branchId, forHonourChange), evidenceId, ["Record"], ct);
        return row.HasValue && Json.Read<EvidenceFile>(row.Value!.GetString("Record")) is { } file ? (file, row.Value.ETag) : null;
    }

    /// <summary>
    /// Adds the slot unless the round's files, with it, would pass <paramref name="maxFiles"/> or <paramref name="maxBytes"/>.
    /// Returns null when added, else the quota's refusal.
    /// </summary>
    public async Task<string?> AddSlotAsync(EvidenceFile slot, int maxFiles, long maxBytes, DateTimeOffset now,
        CancellationToken ct = default)
    {
        string partition = PartitionOf(slot), quotaKey = QuotaPrefix + slot.Round;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            // One read of the branch's partition: its files and the round's quota row.
            TableEntity? quota = null;
            var counted = new List<EvidenceFile>();
            await foreach (TableEntity row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"),
                               cancellationToken: ct))
            {
                if (row.RowKey == quotaKey) quota = row;
                else if (row.RowKey.StartsWith("ev-", StringComparison.Ordinal) && Json.Read<EvidenceFile>(row.GetString("Record")) is { } f
                         && f.Round == slot.Round && f.CountsAt(now))
                    counted.Add(f);
            }
            if (counted.Count + 1 > maxFiles)
                return $"This branch has {counted.Count} file(s) in this round, the most it may upload ({maxFiles}).";
            long bytes = counted.Sum(f => f.CountedBytes);
            if (bytes + slot.DeclaredSize > maxBytes)
                return $"This branch has {bytes} bytes of files in this round; with {slot.DeclaredSize} more it would pass its " +
                    $"{maxBytes} bytes.";

            int slots = quota?.GetInt32("Slots") ?? 0;
            var version = new TableEntity(partition, quotaKey) { ["Slots"] = slots + 1 };
            TableTransactionAction quotaWrite = quota is not null
                ? new(TableTransactionActionType.UpdateReplace, version, quota.ETag)
                : new(TableTransactionActionType.Add, version);
            try
            {
                await Table.SubmitTransactionAsync([quotaWrite, new(TableTransactionActionType.Add, ToEntity(slot))], ct);
                return null;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                // Another slot of the round was added meanwhile: count again.
            }
        }
        return "Too many uploads are being started for this branch at once; try again.";
    }

    /// <summary>Replaces the file's record if it is unchanged since read; false when another request changed it first.</summary>
    public async Task<bool> UpdateAsync(EvidenceFile file, ETag etag, CancellationToken ct = default)
    {
        try
        {
            await Table.UpdateEntityAsync(ToEntity(file), etag, TableUpdateMode.Replace, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    /// <summary>The campaign's verified files, every branch: for the audit (a range of partitions, read in pages).</summary>
    public async IAsyncEnumerable<EvidenceFile> VerifiedAsync(string campaignId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        string filter = TableClient.CreateQueryFilter(
            $"PartitionKey gt {campaignId + "|"} and PartitionKey lt {campaignId + "}"} and Status eq {EvidenceStatus.Verified}");
        await foreach (TableEntity row in
                       Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["Record"], cancellationToken: ct))
            if (Json.Read<EvidenceFile>(row.GetString("Record")) is { } file) yield return file;
    }

    static TableEntity ToEntity(EvidenceFile file) => new(PartitionOf(file), file.Id)
    {
        ["Status"] = file.Status,
        ["Round"] = file.Round,
        ["Record"] = Json.Write(file),
    };
}
