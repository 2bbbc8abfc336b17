using System.Diagnostics;
using Azure.Data.Tables;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.Bench;

/// <summary>
/// Workload C: the write path of a publication, straight against Azurite (no API, no proxy). N rating rows of the
/// Ratings shape (PartitionKey campaign, RowKey branch, BranchName, Score, UnityShare, Rank, Level, PublishedAt):
/// (a) through the product's own code, <see cref="RatingStore"/> — its batched write of the proposed list, then
/// <see cref="RatingStore.PublishAsync"/> (read the proposed list, write Ratings), transactions of 100 rows;
/// (b) one upsert request per row, one after another; (c) one upsert per row, <c>clients</c> at a time.
/// Each goes to fresh tables (a prefix per run), so none finds the rows of another.
/// </summary>
public static class PublicationWrites
{
    const string CampaignId = "bench-c";
    const int BatchedRuns = 3;

    public static async Task<PublicationResult> RunAsync(string storage, int rows, int clients, Action<string> log)
    {
        var service = new TableServiceClient(storage);
        List<RankedBranch> ranking = Enumerable.Range(0, rows).Select(i => new RankedBranch(
            $"chifeng.c{i / 318:00}.t{i / 27 % 12 + 1:00}.b{i % 27 + 1:000}", $"第{i + 1}党支部",
            60 + (i % 400) / 10m, 0.8m + (i % 20) / 100m, i + 1, i < rows * 3 / 10 ? "strongest" : "advanced")).ToList();
        DateTimeOffset publishedAt = DateTimeOffset.UtcNow;

        var proposedRuns = new List<double>();
        var publishRuns = new List<double>();
        for (int run = 0; run < BatchedRuns; run++)
        {
            var tables = new EvalTables(service, new StorageOptions { TablePrefix = $"benchc{run}" });
            await tables.Table(EvalTables.ProposedRatings).CreateIfNotExistsAsync();
            await tables.Table(EvalTables.Ratings).CreateIfNotExistsAsync();
            var store = new RatingStore(tables);
            var watch = Stopwatch.StartNew();
            await store.WriteProposedAsync(CampaignId, ranking);
            proposedRuns.Add(watch.Elapsed.TotalSeconds);
            watch.Restart();
            int published = await store.PublishAsync(CampaignId, publishedAt);
            publishRuns.Add(watch.Elapsed.TotalSeconds);
            if (published != rows) throw new InvalidOperationException($"RatingStore published {published} rows, not {rows}.");
            log($"C: batched write {proposedRuns[^1]:F2} s, publish (read + batched write) {publishRuns[^1]:F2} s");
        }

        TableClient sequential = service.GetTableClient("benchcRowByRow");
        await sequential.CreateIfNotExistsAsync();
        var rowWatch = Stopwatch.StartNew();
        foreach (RankedBranch r in ranking)
            await sequential.UpsertEntityAsync(RatingStore.ToEntity(CampaignId, r, publishedAt), TableUpdateMode.Replace);
        double rowByRow = rowWatch.Elapsed.TotalSeconds;
        log($"C: one request per row, sequential {rowByRow:F2} s");

        TableClient parallel = service.GetTableClient("benchcRowParallel");
        await parallel.CreateIfNotExistsAsync();
        rowWatch.Restart();
        await Parallel.ForEachAsync(ranking, new ParallelOptions { MaxDegreeOfParallelism = clients },
            async (r, ct) =>
                await parallel.UpsertEntityAsync(RatingStore.ToEntity(CampaignId, r, publishedAt), TableUpdateMode.Replace, ct));
        double rowParallel = rowWatch.Elapsed.TotalSeconds;
        log($"C: one request per row, {clients} at a time {rowParallel:F2} s");

        foreach (TableClient t in new[] { sequential, parallel })
        {
            int count = 0;
            await foreach (TableEntity _ in t.QueryAsync<TableEntity>(select: ["RowKey"], maxPerPage: 1000)) count++;
            if (count != rows) throw new InvalidOperationException($"{t.Name} holds {count} rows, not {rows}.");
        }
        return new PublicationResult(rows, proposedRuns, publishRuns, rowByRow, rowParallel);
    }
}

public sealed record PublicationResult(
    int Rows, List<double> BatchedWriteSeconds, List<double> PublishSeconds, double RowByRowSeconds, double RowParallelSeconds)
{
    static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
    public double BatchedWriteMedian => Median(BatchedWriteSeconds);
    public double PublishMedian => Median(PublishSeconds);
    /// <summary>How many times faster the batched write is than one request per row, one after another.</summary>
    public double Speedup => RowByRowSeconds / BatchedWriteMedian;
    public double SpeedupOverParallel => RowParallelSeconds / BatchedWriteMedian;
}
