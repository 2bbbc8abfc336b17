using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Eval.Workflows.Storage;

namespace Eval.Workflows.Notifications;

/// <summary>
/// Table Notifications: what people are to be told, kept before it is delivered (PartitionKey = campaign id, or "-" for
/// none; RowKey = the notification's id). Insert-only: the same notification kept twice is kept once, so a workflow's
/// repeated step or a repeated request tells nobody twice. Delivery (webhook subscriptions) starts from here: each kept
/// notification is put on the fan-out queue at once, and again, delayed, before it is kept, so that one kept by a host
/// that died before queueing it is still fanned out (<see cref="NotificationDispatcher"/>).
/// </summary>
public sealed class NotificationOutbox(EvalTables tables, NotificationQueues queues, NotificationOptions options)
{
    public const string NoCampaign = "-";

    /// <summary>Column Fanout: "pending" until the notification's deliveries exist and are queued, then "done".</summary>
    public const string FanoutPending = "pending", FanoutDone = "done";

    TableClient Table => tables.Table(EvalTables.Notifications);

    /// <summary>Keeps the notification for delivery; false when one with its id is kept already.</summary>
    public async Task<bool> EnqueueAsync(Notification notification, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var message = new FanoutMessage(PartitionOf(notification.CampaignId), notification.Id);
        // First the delayed recheck: once the row exists, something is sure to fan it out, whatever happens next.
        await queues.SendAsync(message, options.FanoutRecheckAfter, ct);
        try
        {
            await Table.AddEntityAsync(ToEntity(notification), ct);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // A repeat of a keeping that failed half-way finishes it: its fan-out may not have started yet.
            if (await FanoutOfAsync(message, ct) == FanoutPending) await queues.SendAsync(message, ct: ct);
            return false;
        }
        await queues.SendAsync(message, ct: ct);
        return true;
    }

    /// <summary>The notifications kept for a campaign (or for none), in id order.</summary>
    public async IAsyncEnumerable<Notification> ListAsync(string? campaignId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {campaignId ?? NoCampaign}");
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
            if (Json.Read<Notification>(e.GetString("Record")) is { } notification) yield return notification;
    }

    /// <summary>
    /// A notification's id from what it is about (its kind, subject, step, round, moment…): the same parts, the same id.
    /// </summary>
    public static string IdOf(params string[] parts) =>
        "ntf-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))))[..32];

    public static string PartitionOf(string? campaignId) => campaignId ?? NoCampaign;

    /// <summary>A kept notification and the ETag of its row, or null.</summary>
    public async Task<(Notification Notification, string Fanout, ETag ETag)?> GetAsync(FanoutMessage key, CancellationToken ct = default)
    {
        NullableResponse<TableEntity> row = await Table.GetEntityIfExistsAsync<TableEntity>(key.Partition, key.Id, cancellationToken: ct);
        return row.HasValue && Json.Read<Notification>(row.Value!.GetString("Record")) is { } n
            ? (n, row.Value.GetString("Fanout") ?? FanoutDone, row.Value.ETag) : null;
    }

    /// <summary>Records that the notification's deliveries exist and are queued.</summary>
    public Task MarkFannedOutAsync(FanoutMessage key, CancellationToken ct = default) =>
        Table.UpdateEntityAsync(new TableEntity(key.Partition, key.Id) { ["Fanout"] = FanoutDone }, ETag.All, TableUpdateMode.Merge, ct);

    async Task<string?> FanoutOfAsync(FanoutMessage key, CancellationToken ct) =>
        (await Table.GetEntityIfExistsAsync<TableEntity>(key.Partition, key.Id, ["Fanout"], ct)) is { HasValue: true } row
            ? row.Value!.GetString("Fanout") : null;

    static TableEntity ToEntity(Notification n) => new(PartitionOf(n.CampaignId), n.Id)
    {
        ["Type"] = n.Type, ["Unit"] = n.Unit, ["Role"] = n.Role, ["Time"] = n.Time, ["Record"] = Json.Write(n),
        ["Fanout"] = FanoutPending,
    };
}
