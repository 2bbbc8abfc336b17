using Azure;
using Azure.Data.Tables;
using Eval.Workflows.Domain;

namespace Eval.Workflows.Storage;

/// <summary>
/// Tables ProposedRatings (the list under public notice) and Ratings (the published list, a contract for other
/// systems): PartitionKey = campaign id, RowKey = branch id. All writes are batched, 100 to a transaction.
/// </summary>
public sealed class RatingStore(EvalTables tables)
{
    TableClient Proposed => tables.Table(EvalTables.ProposedRatings);
    TableClient Published => tables.Table(EvalTables.Ratings);

    public Task WriteProposedAsync(string campaignId, IEnumerable<RankedBranch> ranking, CancellationToken ct = default) =>
        WriteAsync(Proposed, ranking.Select(r => ToEntity(campaignId, r, publishedAt: null)), ct);

    public Task<List<RankedBranch>> ReadProposedAsync(string campaignId, CancellationToken ct = default) =>
        ReadAsync(Proposed, campaignId, ct);

    public Task<List<RankedBranch>> ReadPublishedAsync(string campaignId, CancellationToken ct = default) =>
        ReadAsync(Published, campaignId, ct);

    public async Task<RankedBranch?> GetProposedAsync(string campaignId, string branchId, CancellationToken ct = default)
    {
        NullableResponse<TableEntity> row = await Proposed.GetEntityIfExistsAsync<TableEntity>(campaignId, branchId, cancellationToken: ct);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    /// <summary>
    /// An upheld objection (or a joint veto, with its own <paramref name="reason"/>) revokes the branch's level; the ranking
    /// itself stays as it was.
    /// </summary>
    public async Task RevokeAsync(string campaignId, string branchId, string reason = RevokedReason, CancellationToken ct = default) =>
        await Proposed.UpdateEntityAsync(new TableEntity(campaignId, branchId)
        {
            ["Level"] = Ranking.Revoked, ["Reason"] = reason,
        }, ETag.All, TableUpdateMode.Merge, ct);

    /// <summary>The public short reason of a revoked level.</summary>
    public const string RevokedReason = "revoked: an objection in the public notice was upheld";

    /// <summary>
    /// Copies the proposed list, as the notice left it, into Ratings, with the level of every branch in
    /// <paramref name="revoked"/> (an upheld objection) revoked, whether or not the resolution's own revocation was written.
    /// </summary>
    public async Task<int> PublishAsync(string campaignId, DateTimeOffset publishedAt, IReadOnlySet<string>? revoked = null,
        CancellationToken ct = default)
    {
        List<RankedBranch> final = [.. (await ReadProposedAsync(campaignId, ct))
            .Select(r => revoked?.Contains(r.BranchId) == true ? r with { Level = Ranking.Revoked, Reason = RevokedReason } : r)];
        await WriteAsync(Published, final.Select(r => ToEntity(campaignId, r, publishedAt)), ct);
        return final.Count;
    }

    static async Task WriteAsync(TableClient table, IEnumerable<TableEntity> rows, CancellationToken ct)
    {
        // One partition per campaign: chunks of 100 go out as transactions, several at a time.
        var chunks = rows.Chunk(100).ToList();
        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (chunk, token) => await table.SubmitTransactionAsync(
                chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), token));
    }

    static async Task<List<RankedBranch>> ReadAsync(TableClient table, string campaignId, CancellationToken ct)
    {
        var list = new List<RankedBranch>();
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {campaignId}");
        await foreach (TableEntity e in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
            list.Add(FromEntity(e));
        return list.OrderBy(r => r.Rank).ToList();
    }

    /// <summary>
    /// The proposed (<paramref name="published"/> false) or published list of the branches at or under
    /// <paramref name="unitScope"/>, in branch id order, read a page at a time as the caller consumes it (an export streams
    /// it). <paramref name="select"/> names the columns wanted (all when null).
    /// </summary>
    public async IAsyncEnumerable<RankedBranch> StreamAsync(string campaignId, bool published, string? unitScope,
        IEnumerable<string>? select = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {campaignId}");
        if (unitScope is not null)
            filter += " and " + TableClient.CreateQueryFilter(
                $"((RowKey eq {unitScope}) or (RowKey ge {unitScope + "."} and RowKey lt {unitScope + "/"}))");
        TableClient table = published ? Published : Proposed;
        await foreach (TableEntity e in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: select, cancellationToken: ct))
            yield return FromEntity(e);
    }

    /// <summary>A ratings row (Proposed or Ratings) as stored; the benchmark's row-by-row baseline writes the same rows.</summary>
    public static TableEntity ToEntity(string campaignId, RankedBranch r, DateTimeOffset? publishedAt) => new(campaignId, r.BranchId)
    {
        ["BranchName"] = r.BranchName,
        ["Score"] = (double)r.Score,
        ["UnityShare"] = (double)r.UnityShare,
        ["Rank"] = r.Rank,
        ["Level"] = r.Level,
        ["Reason"] = r.Reason,
        ["Why"] = r.Why is null ? null : Json.Write(r.Why),
        ["PublishedAt"] = publishedAt,
    };

    static RankedBranch FromEntity(TableEntity e) => new(e.RowKey, e.GetString("BranchName") ?? e.RowKey,
        (decimal)(e.GetDouble("Score") ?? 0), (decimal)(e.GetDouble("UnityShare") ?? 0), e.GetInt32("Rank") ?? 0,
        e.GetString("Level") ?? Ranking.NoLevel)
    {
        Reason = e.GetString("Reason"),
        Why = Json.Read<RatingExplanation>(e.GetString("Why")),
    };
}
