using Azure;
using Azure.Data.Tables;
using Eval.Workflows.Domain;

namespace Eval.Workflows.Storage;

/// <summary>
/// Table Honours (the honours register): PartitionKey = campaign id, RowKey = branch id. A branch id is its path, so a
/// unit's branches are one RowKey range of the campaign's partition. Written by the workflows only: at publication, by
/// an approved change, and when a later campaign's list supersedes a title.
/// </summary>
public sealed class HonourStore(EvalTables tables)
{
    TableClient Table => tables.Table(EvalTables.Honours);

    /// <summary>Writes the honours, 100 to a transaction (one partition per campaign); writing them again writes the same.</summary>
    public async Task WriteAsync(IEnumerable<Honour> honours, CancellationToken ct = default)
    {
        var chunks = honours.Select(ToEntity).Chunk(100).ToList();
        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (chunk, token) => await Table.SubmitTransactionAsync(
                chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), token));
    }

    public async Task<(Honour Honour, ETag ETag)?> GetAsync(string campaignId, string branchId, CancellationToken ct = default)
    {
        NullableResponse<TableEntity> row = await Table.GetEntityIfExistsAsync<TableEntity>(campaignId, branchId, cancellationToken: ct);
        return row.HasValue ? (FromEntity(row.Value!), row.Value!.ETag) : null;
    }

    /// <summary>False when the honour changed since <paramref name="etag"/> was read.</summary>
    public async Task<bool> TryReplaceAsync(Honour honour, ETag etag, CancellationToken ct = default)
    {
        try { await Table.UpdateEntityAsync(ToEntity(honour), etag, TableUpdateMode.Replace, ct); return true; }
        catch (RequestFailedException e) when (e.Status == 412) { return false; }
    }

    /// <summary>Every honour of a campaign's register, in branch order.</summary>
    public async Task<List<Honour>> ReadCampaignAsync(string campaignId, CancellationToken ct = default)
    {
        var list = new List<Honour>();
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {campaignId}"), maxPerPage: 1000, cancellationToken: ct))
            list.Add(FromEntity(e));
        return list;
    }

    /// <summary>The honours of a campaign's branches at or under <paramref name="unit"/> (one key range of its partition).</summary>
    public async Task<List<Honour>> ReadUnderAsync(string campaignId, string unit, CancellationToken ct = default)
    {
        var list = new List<Honour>();
        string filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {campaignId} and ((RowKey eq {unit}) or (RowKey ge {unit + "."} and RowKey lt {unit + "/"}))");
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
            list.Add(FromEntity(e));
        return list;
    }

    /// <summary>
    /// One page of a campaign's honours at or under <paramref name="unit"/> (null: all; a branch: its own row), optionally
    /// of one published level and of one status as it stands at <paramref name="now"/> (<see cref="Honour.StatusAt"/>),
    /// and the table's token for the next page (null at the end). The table is asked for a little more than the status
    /// (a title's year ends by the calendar) and the page keeps the exact ones, so a page may be short while a token follows.
    /// </summary>
    public async Task<(List<Honour> Page, string? Next)> PageAsync(string campaignId, string? unit, string? level, string? statusNow,
        DateTimeOffset now, int pageSize, string? continuation, CancellationToken ct = default)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {campaignId}");
        if (unit is not null)
            filter += " and " + (UnitPath.KindOf(unit) == UnitKinds.Branch
                ? TableClient.CreateQueryFilter($"RowKey eq {unit}")
                : TableClient.CreateQueryFilter($"RowKey gt {unit + "."} and RowKey lt {unit + "/"}"));
        if (level is not null) filter += " and " + TableClient.CreateQueryFilter($"Level eq {level}");
        if (statusNow is not null) filter += " and (" + StatusFilter(statusNow, now) + ")";
        await foreach (Page<TableEntity> page in Table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize, cancellationToken: ct)
            .AsPages(continuation, pageSize))
            return ([.. page.Values.Select(FromEntity).Where(h => statusNow is null || h.StatusAt(now) == statusNow)],
                page.ContinuationToken);
        return ([], null);
    }

    /// <summary>
    /// The rows that may show <paramref name="status"/> at <paramref name="now"/>: an active or downgraded title shows expired
    /// a year after its publication; the bound is widened by two days for the calendar (29 February), the caller keeps the exact.
    /// </summary>
    static string StatusFilter(string status, DateTimeOffset now)
    {
        DateTimeOffset yearAgo = now.AddYears(-1);
        DateTimeOffset lower = yearAgo.AddDays(-2), upper = yearAgo.AddDays(2);
        return status switch
        {
            HonourStatus.Active or HonourStatus.Downgraded =>
                TableClient.CreateQueryFilter($"Status eq {status} and PublishedAt gt {lower}"),
            HonourStatus.Expired => TableClient.CreateQueryFilter($"Status eq {HonourStatus.Expired}") + " or (" +
                TableClient.CreateQueryFilter(
                    $"(Status eq {HonourStatus.Active} or Status eq {HonourStatus.Downgraded}) and PublishedAt le {upper}") + ")",
            _ => TableClient.CreateQueryFilter($"Status eq {status}"),
        };
    }

    /// <summary>
    /// The honours of <paramref name="branchIds"/> in a campaign that are still held (active or downgraded), and those a
    /// supersession at <paramref name="supersededAt"/> has ended already (a repeat of it finds the same set).
    /// </summary>
    public async Task<List<(Honour Honour, ETag ETag)>> SupersededAsync(string campaignId, IReadOnlySet<string> branchIds,
        DateTimeOffset supersededAt, CancellationToken ct = default)
    {
        var found = new List<(Honour, ETag)>();
        // Stored statuses are active, downgraded, revoked and expired (which only a supersession stores).
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {campaignId} and Status ne {HonourStatus.Revoked}");
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
        {
            if (!branchIds.Contains(e.RowKey)) continue;
            Honour honour = FromEntity(e);
            bool endedByThis = honour.ReasonCategory == HonourReasons.Superseded && honour.Since == supersededAt;
            if (HonourStatus.IsHeld(honour.Status) || endedByThis) found.Add((honour, e.ETag));
        }
        return found;
    }

    static TableEntity ToEntity(Honour h) => new(h.CampaignId, h.BranchId)
    {
        ["BranchName"] = h.BranchName,
        ["Year"] = h.Year,
        ["Level"] = h.Level,
        ["PublishedAt"] = h.PublishedAt,
        ["CurrentLevel"] = h.CurrentLevel,
        ["Status"] = h.Status,
        ["Since"] = h.Since,
        ["ReasonCategory"] = h.ReasonCategory,
        ["Reason"] = h.Reason,
        ["ChangeId"] = h.ChangeId,
    };

    static Honour FromEntity(TableEntity e) =>
        new(e.PartitionKey, e.RowKey, e.GetString("BranchName") ?? e.RowKey, e.GetInt32("Year") ?? 0, e.GetString("Level") ?? "",
            e.GetDateTimeOffset("PublishedAt") ?? default)
        {
            CurrentLevel = e.GetString("CurrentLevel") ?? "",
            Status = e.GetString("Status") ?? "",
            Since = e.GetDateTimeOffset("Since") ?? default,
            ReasonCategory = e.GetString("ReasonCategory"),
            Reason = e.GetString("Reason"),
            ChangeId = e.GetString("ChangeId"),
        };
}
