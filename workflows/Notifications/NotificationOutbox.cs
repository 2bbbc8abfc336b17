using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Eval.Workflows.Storage;

namespace Eval.Workflows.Notifications;

/// <summary>
/// Table Notifications: what people are to be told, kept before it is delivered (PartitionKey = campaign id, or "-" for
/// none; RowKey = the notification's id). Insert-only: the same notification kept twice is kept once, so a workflow's
/// repeated step or a repeated request tells nobody twice. Delivery (webhook subscriptions) reads from here.
/// </summary>
public sealed class NotificationOutbox(EvalTables tables)
{
    public const string NoCampaign = "-";

    TableClient Table => tables.Table(EvalTables.Notifications);

    /// <summary>Keeps the notification for delivery; false when one with its id is kept already.</summary>
    public async Task<bool> EnqueueAsync(Notification notification, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        try
        {
            await Table.AddEntityAsync(ToEntity(notification), ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>The notifications kept for a campaign (or for none), in id order.</summary>
    public async IAsyncEnumerable<Notification> ListAsync(string? campaignId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {campaignId ?? NoCampaign}");
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
            if (Json.Read<Notification>(e.GetString("Record")) is { } notification) yield return notification;
    }

    /// <summary>A notification's id from what it is about (its kind, subject, step, round, moment…): the same parts, the same id.</summary>
    public static string IdOf(params string[] parts) =>
        "ntf-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))))[..32];

    static TableEntity ToEntity(Notification n) => new(n.CampaignId ?? NoCampaign, n.Id)
    {
        ["Type"] = n.Type, ["Unit"] = n.Unit, ["Role"] = n.Role, ["Time"] = n.Time, ["Record"] = Json.Write(n),
    };
}
