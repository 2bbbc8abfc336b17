using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Eval.Workflows.Domain;

namespace Eval.Workflows.Storage;

/// <summary>
/// Reads table Inbox (docs/storage.md, "Inbox"): one partition in key order, which is the order things are due, or the
/// partitions of a role below a unit, sorted here. A query names its partitions, so what it reads never grows with what
/// waits outside them.
/// </summary>
public sealed class InboxReader(EvalTables tables)
{
    TableClient Table => tables.Table(EvalTables.Inbox);

    /// <summary>Which rows of a partition to read: a key range (after, and before, both exclusive) and an OData filter.</summary>
    public sealed record Range(string? After, string? From, string? Before, string? Filter);

    /// <summary>One partition's items in key order (due time first), <paramref name="pageSize"/> rows to a request.</summary>
    public async IAsyncEnumerable<InboxItem> PartitionAsync(string role, string unit, Range range, int pageSize,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {InboxKeys.Partition(role, unit)}") + Keys(range);
        await foreach (TableEntity row in Table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize, cancellationToken: ct))
            yield return FromEntity(row);
    }

    /// <summary>
    /// The items of every partition of <paramref name="role"/> below <paramref name="unit"/> (one key range of partitions,
    /// whose rows the service returns partition by partition), sorted by key here: for callers above the units where the role
    /// acts, whose partitions are too many to read one by one.
    /// </summary>
    public async IAsyncEnumerable<InboxItem> BelowAsync(string role, string unit, Range range,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        string first = InboxKeys.Partition(role, unit + "."), end = InboxKeys.Partition(role, unit + "/");
        string filter = TableClient.CreateQueryFilter($"PartitionKey gt {first} and PartitionKey lt {end}") + Keys(range);
        var items = new List<InboxItem>();
        await foreach (TableEntity row in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
            items.Add(FromEntity(row));
        foreach (InboxItem item in items.OrderBy(i => i.RowKey, StringComparer.Ordinal)) yield return item;
    }

    static string Keys(Range range)
    {
        string filter = "";
        if (range.After is { } after) filter += " and " + TableClient.CreateQueryFilter($"RowKey gt {after}");
        if (range.From is { } from) filter += " and " + TableClient.CreateQueryFilter($"RowKey ge {from}");
        if (range.Before is { } before) filter += " and " + TableClient.CreateQueryFilter($"RowKey lt {before}");
        if (range.Filter is { } more) filter += " and " + more;
        return filter;
    }

    /// <summary>An OData filter: the property is the unit or lies below it.</summary>
    public static string Under(string property, string unit)
    {
        string u = unit.Replace("'", "''", StringComparison.Ordinal);
        return $"({property} eq '{u}' or ({property} gt '{u}.' and {property} lt '{u}/'))";
    }

    public static TableEntity ToEntity(InboxItem i) => new(i.PartitionKey, i.RowKey)
    {
        ["Role"] = i.Role,
        ["Unit"] = i.Unit,
        ["Kind"] = i.Kind,
        ["CampaignId"] = i.CampaignId,
        ["CampaignTitle"] = i.CampaignTitle,
        ["CampaignUnit"] = i.CampaignUnit,
        ["BranchId"] = i.BranchId,
        ["BranchName"] = i.BranchName,
        ["Scope"] = i.Scope,
        ["Due"] = i.Due,
        ["Link"] = i.Link,
        ["Action"] = i.Action,
        ["Ref"] = i.Ref,
        ["From"] = i.From,
        ["Escalated"] = i.Escalated,
        ["Done"] = i.Done.Count == 0 ? null : Json.Write(i.Done),
    };

    public static InboxItem FromEntity(TableEntity e) =>
        new(e.GetString("Role") ?? "", e.GetString("Unit") ?? "", e.GetString("Kind") ?? "", e.GetString("CampaignId") ?? "",
            e.GetString("CampaignTitle") ?? "", e.GetString("CampaignUnit") ?? "", e.GetString("BranchId") ?? "",
            e.GetString("BranchName") ?? "", e.GetString("Scope") ?? "", e.GetDateTimeOffset("Due") ?? DateTimeOffset.MaxValue,
            e.GetString("Link") ?? "", e.GetString("Action") ?? "")
        {
            Ref = e.GetString("Ref"),
            From = e.GetDateTimeOffset("From"),
            Escalated = e.GetBoolean("Escalated") ?? false,
            Done = Json.Read<List<string>>(e.GetString("Done")) ?? [],
        };
}
