using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Eval.Api;
using Eval.Workflows.Notifications;
using Eval.Workflows.Storage;

namespace Eval.LocalHost.Cli;

/// <summary>
/// `./eval mail [--campaign ID] [--limit N]`: what the local instance told whom. The notifications kept (newest first),
/// each with who it is for, its sentence and subject, and its deliveries: to which subscription's URL, and where each
/// stands (delivered, pending with its attempts and next try, dead, cancelled). Read straight from the tables, as the
/// running host left them.
/// </summary>
public static class MailCommand
{
    public static async Task<int> RunAsync(CommandLine cli, IConfiguration configuration)
    {
        int limit = 20;
        if (cli.One("limit") is { } l && (!int.TryParse(l, out limit) || limit < 1))
        {
            Console.Error.WriteLine("usage: mail [--campaign ID] [--limit N]   (N: how many notifications, newest first; default 20)");
            return 2;
        }
        string? campaign = cli.One("campaign");
        StorageOptions storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new();
        var tables = new EvalTables(StorageConnection.Read(configuration).CreateTableServiceClient(), storage);
        try
        {
            return await PrintAsync(tables, campaign, limit);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or HttpRequestException)
        {
            Console.Error.WriteLine(
                $"mail: the tables could not be read ({e.Message.Split('\n')[0]}): is the local instance up (./eval up)?");
            return 1;
        }
    }

    static async Task<int> PrintAsync(EvalTables tables, string? campaign, int limit)
    {
        var subscriptions = new Dictionary<string, Subscription>(StringComparer.Ordinal);
        await foreach (TableEntity e in tables.Table(EvalTables.Subscriptions).QueryAsync<TableEntity>(select: ["Record"]))
            if (Json.Read<Subscription>(e.GetString("Record")) is { } s) subscriptions[s.Id] = s;
        var deliveries = new List<Delivery>();
        await foreach (Delivery d in new DeliveryStore(tables).AllAsync()) deliveries.Add(d);
        ILookup<string, Delivery> byNotification = deliveries.ToLookup(d => d.NotificationId, StringComparer.Ordinal);

        string? filter = campaign is null ? null
            : TableClient.CreateQueryFilter($"PartitionKey eq {NotificationOutbox.PartitionOf(campaign)}");
        var notifications = new List<Notification>();
        await foreach (TableEntity e in tables.Table(EvalTables.Notifications).QueryAsync<TableEntity>(filter, select: ["Record"]))
            if (Json.Read<Notification>(e.GetString("Record")) is { } n) notifications.Add(n);

        Console.WriteLine($"{notifications.Count} notifications kept{(campaign is null ? "" : $" for {campaign}")}, " +
            $"{deliveries.Count} deliveries, {subscriptions.Count} subscriptions" +
            (notifications.Count > limit ? $"; the newest {limit} (--limit N for more):" : ":"));
        foreach (Notification n in notifications.OrderByDescending(n => n.Time).ThenBy(n => n.Id, StringComparer.Ordinal).Take(limit))
        {
            Console.WriteLine();
            Console.WriteLine($"{Time(n.Time)}  {n.Type}  to {n.Role} at {n.Unit}{(n.CampaignId is null ? "" : $"  [{n.CampaignId}]")}");
            Console.WriteLine($"  {n.Text}");
            Console.WriteLine($"  {n.Subject}  ({n.Id})");
            Delivery[] sent = [.. byNotification[n.Id].OrderBy(d => d.SubscriptionId, StringComparer.Ordinal)];
            if (sent.Length == 0) Console.WriteLine("  (no delivery: no subscription receives it, or it is not fanned out yet)");
            foreach (Delivery d in sent)
            {
                string target = subscriptions.TryGetValue(d.SubscriptionId, out Subscription? s) ? s.Url : "(subscription deleted)";
                Console.WriteLine($"  {d.Status,-9} {target}  {Details(d)}");
            }
        }
        return 0;
    }

    static string Details(Delivery d)
    {
        var parts = new List<string> { d.SubscriptionId, d.Attempts == 1 ? "1 attempt" : $"{d.Attempts} attempts" };
        if (d.LastResult is { } last) parts.Add("last: " + last);
        if (d.DeliveredAt is { } delivered) parts.Add("delivered " + Time(delivered));
        if (d.Status == DeliveryStatus.Pending && d.NextAttemptAt is { } next) parts.Add("next " + Time(next));
        if (d.DeadAt is { } dead) parts.Add("dead since " + Time(dead));
        return "(" + string.Join(", ", parts) + ")";
    }

    static string Time(DateTimeOffset t) => t.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
}
