using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Eval.Workflows.Storage;

namespace Eval.Workflows.Notifications;

/// <summary>What a reminder is about: one evaluation's step, every evaluation of a campaign at a stage, a change's decision.</summary>
public static class ReminderKinds
{
    public const string Evaluation = "evaluation";
    /// <summary>
    /// Every evaluation of the campaign still at <see cref="Reminder.Stage"/> in <see cref="Reminder.Round"/> with the deadline:
    /// the first self-assessment, whose deadline every branch shares, is one row for the whole campaign, not one per branch.
    /// </summary>
    public const string Stage = "stage";
    public const string HonourChange = "honour-change";
}

/// <summary>
/// A reminder due at <paramref name="FireAt"/>, <paramref name="Before"/> (an ISO-8601 duration) before <paramref name="Deadline"/>.
/// </summary>
public sealed record Reminder(string Kind, string CampaignId, DateTimeOffset FireAt, DateTimeOffset Deadline, string Before)
{
    public string? BranchId { get; init; }
    public string? BranchName { get; init; }
    public string? Stage { get; init; }
    public int Round { get; init; }
    /// <summary>How many claims take the step (the county's scorers per branch; else 1).</summary>
    public int Needed { get; init; } = 1;
    public string? ChangeId { get; init; }
    /// <summary>The partition and key it was read from (the times in a key keep every tick; a stored time may not).</summary>
    public (string Partition, string Key)? Row { get; init; }

    /// <summary>The row's key: what it reminds of, so scheduling it twice writes one row.</summary>
    public string Key => string.Join('|', Kind, CampaignId, BranchId ?? "-", ChangeId ?? Stage ?? "-",
        Round.ToString(CultureInfo.InvariantCulture), Deadline.UtcTicks.ToString("D19", CultureInfo.InvariantCulture), Before);
}

/// <summary>
/// Table Reminders: PartitionKey = the minute a reminder is due ("yyyyMMddHHmm", UTC), RowKey = <see cref="Reminder.Key"/>.
/// Written when a step starts waiting (nothing is written or read while it waits), read by the sweep a minute at a time in key
/// order, and deleted once told or found moot: the table holds only what is still to come.
/// </summary>
public sealed class ReminderStore(EvalTables tables)
{
    TableClient Table => tables.Table(EvalTables.Reminders);

    /// <summary>The partition of a moment: its minute, UTC, in an order that sorts as time does.</summary>
    public static string BucketOf(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    /// <summary>Writes the reminders (again: an upsert of the same key writes the same row), 100 to a transaction per minute.</summary>
    public async Task ScheduleAsync(IEnumerable<Reminder> reminders, CancellationToken ct = default)
    {
        foreach (IGrouping<string, Reminder> bucket in reminders.GroupBy(r => BucketOf(r.FireAt)))
            foreach (Reminder[] chunk in bucket.DistinctBy(r => r.Key).Chunk(100))
                await Table.SubmitTransactionAsync(
                    chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(r))), ct);
    }

    /// <summary>The reminders due by <paramref name="now"/>: the partitions up to its minute, in key order.</summary>
    public async IAsyncEnumerable<Reminder> DueAsync(DateTimeOffset now,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey le {BucketOf(now)} and FireAt le {now.UtcDateTime}");
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
            yield return FromEntity(e);
    }

    /// <summary>Deletes a reminder told or moot (gone already: nothing to do).</summary>
    public async Task DeleteAsync(Reminder reminder, CancellationToken ct = default)
    {
        try
        {
            var (partition, key) = reminder.Row ?? (BucketOf(reminder.FireAt), reminder.Key);
            await Table.DeleteEntityAsync(partition, key, ETag.All, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    static TableEntity ToEntity(Reminder r) => new(BucketOf(r.FireAt), r.Key)
    {
        ["Kind"] = r.Kind, ["CampaignId"] = r.CampaignId, ["FireAt"] = r.FireAt, ["Deadline"] = r.Deadline, ["Before"] = r.Before,
        ["BranchId"] = r.BranchId, ["BranchName"] = r.BranchName, ["Stage"] = r.Stage, ["Round"] = r.Round, ["Needed"] = r.Needed,
        ["ChangeId"] = r.ChangeId,
    };

    static Reminder FromEntity(TableEntity e) =>
        new(e.GetString("Kind") ?? "", e.GetString("CampaignId") ?? "", e.GetDateTimeOffset("FireAt") ?? default,
            e.GetDateTimeOffset("Deadline") ?? default, e.GetString("Before") ?? "")
        {
            BranchId = e.GetString("BranchId"), BranchName = e.GetString("BranchName"), Stage = e.GetString("Stage"),
            Round = e.GetInt32("Round") ?? 0, Needed = e.GetInt32("Needed") ?? 1, ChangeId = e.GetString("ChangeId"),
            Row = (e.PartitionKey, e.RowKey),
        };
}
