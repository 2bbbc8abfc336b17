using Azure;
using Azure.Data.Tables;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.Workflows.Notifications;

/// <summary>
/// Table Subscriptions: PartitionKey = the subscription's unit, RowKey = its id; the record as JSON, and its secret sealed
/// (<see cref="SecretSealer"/>) in columns of their own, which no view reads. A notification's subscriptions are read from
/// the partitions of its unit and the units above it (at most four, whatever the table holds). A deleted subscription's row
/// stays, without its secret, so that its deliveries can still be read and a repeated delete finds it deleted.
/// </summary>
public sealed class SubscriptionStore(EvalTables tables, SecretSealer sealer)
{
    TableClient Table => tables.Table(EvalTables.Subscriptions);

    public Task AddAsync(Subscription subscription, string secret, CancellationToken ct = default) =>
        Table.AddEntityAsync(new TableEntity(subscription.Unit, subscription.Id)
        {
            ["Record"] = Json.Write(subscription), ["Secret"] = sealer.Seal(secret, subscription.Id),
        }, ct);

    /// <summary>
    /// A subscription by its id, deleted or not (a query of the table's row keys: the table holds a city's few subscriptions).
    /// </summary>
    public async Task<(Subscription Subscription, ETag ETag)?> FindAsync(string id, CancellationToken ct = default)
    {
        if (!Subscription.IsValidId(id)) return null;
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {id}"),
                           cancellationToken: ct))
            if (Read(e) is { } subscription) return (subscription, e.ETag);
        return null;
    }

    /// <summary>The subscriptions at <paramref name="unit"/> and every unit below it, by unit and id.</summary>
    public async Task<List<Subscription>> ListAsync(string unit, CancellationToken ct = default)
    {
        // The unit's own partition, and those of "unit." … "unit/" ('/' follows '.'): the units below it.
        string filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {unit} or (PartitionKey ge {unit + "."} and PartitionKey lt {unit + "/"})");
        var found = new List<Subscription>();
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            if (Read(e) is { Deleted: false } subscription) found.Add(subscription);
        return found;
    }

    /// <summary>The subscriptions that receive a notification of this type addressed to this unit.</summary>
    public async Task<List<Subscription>> ReceiversAsync(string type, string unit, CancellationToken ct = default)
    {
        if (!UnitPath.IsValid(unit)) return [];
        var partitions = Enumerable.Range(1, UnitPath.Depth(unit)).Select(depth => UnitPath.AncestorAt(unit, depth));
        var found = await Task.WhenAll(partitions.Select(async partition =>
        {
            var inPartition = new List<Subscription>();
            await foreach (TableEntity e in Table.QueryAsync<TableEntity>(
                               TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: ct))
                if (Read(e) is { } s && s.Receives(type, unit)) inPartition.Add(s);
            return inPartition;
        }));
        return [.. found.SelectMany(s => s)];
    }

    /// <summary>The secrets its deliveries are signed with, or null when the subscription is gone.</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">Sealed under another key.</exception>
    public async Task<SigningSecrets?> SecretsAsync(Subscription subscription, CancellationToken ct = default)
    {
        NullableResponse<TableEntity> row = await Table.GetEntityIfExistsAsync<TableEntity>(subscription.Unit, subscription.Id,
            cancellationToken: ct);
        if (!row.HasValue || row.Value!.GetString("Secret") is null) return null;
        TableEntity e = row.Value;
        return new SigningSecrets(sealer.Open(e.GetString("Secret"), subscription.Id),
            e.GetString("PreviousSecret") is { } previous ? sealer.Open(previous, subscription.Id) : null,
            e.GetDateTimeOffset("PreviousSecretUntil"));
    }

    /// <summary>
    /// A new secret; the one it replaces goes on signing beside it until <paramref name="previousUntil"/>. False when the
    /// subscription changed or went in between.
    /// </summary>
    public async Task<bool> RotateAsync(Subscription rotated, ETag etag, string secret, DateTimeOffset previousUntil,
        CancellationToken ct = default)
    {
        NullableResponse<TableEntity> row = await Table.GetEntityIfExistsAsync<TableEntity>(rotated.Unit, rotated.Id,
            cancellationToken: ct);
        if (!row.HasValue || row.Value!.ETag != etag || row.Value.GetString("Secret") is null) return false;
        try
        {
            await Table.UpdateEntityAsync(new TableEntity(rotated.Unit, rotated.Id)
            {
                ["Record"] = Json.Write(rotated), ["Secret"] = sealer.Seal(secret, rotated.Id),
                ["PreviousSecret"] = row.Value.GetString("Secret"), ["PreviousSecretUntil"] = previousUntil,
            }, etag, TableUpdateMode.Replace, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>Marks it deleted and forgets its secrets (the row is replaced whole); false when it changed in between.</summary>
    public async Task<bool> DeleteAsync(Subscription deleted, ETag etag, CancellationToken ct = default)
    {
        try
        {
            await Table.UpdateEntityAsync(new TableEntity(deleted.Unit, deleted.Id) { ["Record"] = Json.Write(deleted) }, etag,
                TableUpdateMode.Replace, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    static Subscription? Read(TableEntity e) => Json.Read<Subscription>(e.GetString("Record"));
}
