using Azure;
using Azure.Data.Tables;
using Eval.Workflows.Storage;

namespace Eval.Workflows.Notifications;

/// <summary>
/// Table Deliveries: PartitionKey = the subscription's id, RowKey = the delivery's id (time-ordered); the delivery as JSON,
/// its Status in a column of its own (a subscription's dead letters are one filtered partition query), and the CloudEvent
/// it sends (Body), made once at fan-out so that every attempt sends the same bytes.
/// </summary>
public sealed class DeliveryStore(EvalTables tables)
{
    TableClient Table => tables.Table(EvalTables.Deliveries);

    /// <summary>Adds the delivery; false when it exists already (a repeated fan-out).</summary>
    public async Task<bool> AddAsync(Delivery delivery, string body, CancellationToken ct = default)
    {
        TableEntity entity = ToEntity(delivery);
        TableText.Write(entity, "Body", body);
        try
        {
            await Table.AddEntityAsync(entity, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<(Delivery Delivery, string Body, ETag ETag)?> GetAsync(string subscriptionId, string deliveryId,
        CancellationToken ct = default)
    {
        if (!Subscription.IsValidId(subscriptionId) || !Delivery.IsValidId(deliveryId)) return null;
        NullableResponse<TableEntity> row = await Table.GetEntityIfExistsAsync<TableEntity>(subscriptionId, deliveryId,
            cancellationToken: ct);
        return row.HasValue && FromEntity(row.Value!) is { } delivery
            ? (delivery, TableText.Read(row.Value!, "Body") ?? "", row.Value!.ETag) : null;
    }

    /// <summary>
    /// Writes the delivery's new state if its row is still as read (its body stays): the row's new ETag, or null when it
    /// changed meanwhile.
    /// </summary>
    public async Task<ETag?> TryUpdateAsync(Delivery delivery, ETag etag, CancellationToken ct = default)
    {
        try
        {
            return (await Table.UpdateEntityAsync(ToEntity(delivery), etag, TableUpdateMode.Merge, ct)).Headers.ETag;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return null;
        }
    }

    /// <summary>A subscription's deliveries (of one status), oldest notification first, without their bodies.</summary>
    public AsyncPageable<TableEntity> Query(string subscriptionId, string? status, int pageSize)
    {
        string filter = status is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {subscriptionId}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {subscriptionId} and Status eq {status}");
        return Table.QueryAsync<TableEntity>(filter, pageSize, ["Record"]);
    }

    /// <summary>Every delivery (for `./eval mail`, on the local host's few).</summary>
    public async IAsyncEnumerable<Delivery> AllAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(select: ["Record"], cancellationToken: ct))
            if (FromEntity(e) is { } delivery) yield return delivery;
    }

    public static Delivery? FromEntity(TableEntity e) => Json.Read<Delivery>(e.GetString("Record"));

    static TableEntity ToEntity(Delivery d) => new(d.SubscriptionId, d.Id) { ["Record"] = Json.Write(d), ["Status"] = d.Status };
}
