using Azure;
using Azure.Data.Tables;
using Eval.Workflows.Domain;

namespace Eval.Workflows.Storage;

/// <summary>
/// Table Units. PartitionKey: "_root" for the city, the city id for counties, the county id for everything
/// below a county — so a county's whole subtree is one partition (batched writes, one-partition queries).
/// RowKey: the unit id.
/// </summary>
public sealed class UnitStore(EvalTables tables)
{
    const string RootPartition = "_root"; // '_' never occurs in a unit id

    TableClient Table => tables.Table(EvalTables.Units);

    public static string PartitionOf(string id) => UnitPath.Depth(id) switch
    {
        1 => RootPartition,
        2 => UnitPath.AncestorAt(id, 1),
        _ => UnitPath.AncestorAt(id, 2),
    };

    public async Task<Unit?> GetAsync(string id, CancellationToken ct = default)
    {
        NullableResponse<TableEntity> row = await Table.GetEntityIfExistsAsync<TableEntity>(PartitionOf(id), id, cancellationToken: ct);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    /// <summary>Which of <paramref name="ids"/> exist, one point read each, in parallel.</summary>
    public async Task<HashSet<string>> ExistingAsync(IEnumerable<string> ids, CancellationToken ct = default)
    {
        string[] distinct = ids.Distinct(StringComparer.Ordinal).ToArray();
        Unit?[] found = await Task.WhenAll(distinct.Select(id => GetAsync(id, ct)));
        return found.Where(u => u is not null).Select(u => u!.Id).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Upserts, grouped by partition, 100 to a transaction.</summary>
    public async Task UpsertAsync(IEnumerable<Unit> units, CancellationToken ct = default)
    {
        foreach (var partition in units.GroupBy(u => PartitionOf(u.Id)))
            foreach (Unit[] chunk in partition.Chunk(100))
                await Table.SubmitTransactionAsync(
                    chunk.Select(u => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(u))), ct);
    }

    public async Task<List<Unit>> ChildrenAsync(string id, CancellationToken ct = default)
    {
        int depth = UnitPath.Depth(id);
        string filter = depth == 1
            ? TableClient.CreateQueryFilter($"PartitionKey eq {id}")
            : TableClient.CreateQueryFilter(
                $"PartitionKey eq {PartitionOf(id + ".x")} and RowKey gt {id + "."} and RowKey lt {id + "/"} and Depth eq {depth + 1}");
        return await QueryAsync(filter, ct);
    }

    /// <summary>Every branch at or under <paramref name="id"/> (a city, county, township or branch).</summary>
    public async Task<List<Unit>> BranchesUnderAsync(string id, CancellationToken ct = default)
    {
        if (UnitPath.Depth(id) == 1)
        {
            var all = new List<Unit>();
            foreach (Unit county in await ChildrenAsync(id, ct)) all.AddRange(await BranchesUnderAsync(county.Id, ct));
            return all;
        }
        string filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {PartitionOf(id + ".x")} and ((RowKey eq {id}) or (RowKey gt {id + "."} and RowKey lt {id + "/"}))")
            + " and " + TableClient.CreateQueryFilter($"Kind eq {UnitKinds.Branch}");
        return await QueryAsync(filter, ct);
    }

    async Task<List<Unit>> QueryAsync(string filter, CancellationToken ct)
    {
        var units = new List<Unit>();
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000,
            select: ["RowKey", "Name", "Kind", "Category"], cancellationToken: ct))
            units.Add(FromEntity(e));
        return units.OrderBy(u => u.Id, StringComparer.Ordinal).ToList();
    }

    static TableEntity ToEntity(Unit u) => new(PartitionOf(u.Id), u.Id)
    {
        ["Name"] = u.Name,
        ["Kind"] = u.Kind,
        ["Parent"] = UnitPath.ParentOf(u.Id),
        ["Depth"] = UnitPath.Depth(u.Id),
        ["Category"] = u.Category,
    };

    static Unit FromEntity(TableEntity e) =>
        new(e.RowKey, e.GetString("Name") ?? e.RowKey, e.GetString("Kind") ?? UnitPath.KindOf(e.RowKey), e.GetString("Category"));
}
