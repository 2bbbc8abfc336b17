using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Notifications;

/// <summary>The address CloudEvents name as their source: the API's public address and /api.</summary>
public sealed record WebhookSource(Uri Uri);

/// <summary>
/// Delivers kept notifications to the webhook subscriptions that receive them. Three pieces of work, run by both hosts
/// (the Functions app's queue and timer triggers, the local host's dispatcher; HostParityTests compares them):
/// <list type="bullet">
/// <item><see cref="FanOutAsync"/>: a notification becomes one delivery per subscription of its unit or a unit above it
/// that names its type, each with its first attempt queued;</item>
/// <item><see cref="DeliverAsync"/>: one attempt; on failure the next is queued with the retry's wait as its visibility
/// delay, growing (<see cref="RetrySchedule"/>), until <see cref="NotificationOptions.RetryFor"/> has passed: then the
/// delivery is dead (a dead letter);</item>
/// <item><see cref="RecyclePoisonAsync"/>: messages that failed <see cref="NotificationQueues.MaxDequeueCount"/> times
/// (storage was out) go back to their queues.</item>
/// </list>
/// Every step may run twice (a host dies, a message comes twice): a delivery's id comes from its notification and
/// subscription, and its row says which attempt was made, whether the next is queued and whether a handler is sending it
/// (a lease), so a repeat never loses an attempt, and sends one twice only when its first sender outlived its lease
/// (receivers dedupe on webhook-id).
/// </summary>
public sealed class NotificationDispatcher(NotificationOutbox outbox, SubscriptionStore subscriptions, DeliveryStore deliveries,
    NotificationQueues queues, WebhookSender sender, WebhookSource source, NotificationOptions options, TimeProvider clock,
    ILogger<NotificationDispatcher> log)
{
    /// <summary>The names of the three pieces of work: the Functions app's function names, the local dispatcher's loops.</summary>
    public const string FanOutFunction = "FanOutNotification", DeliverFunction = "DeliverWebhook",
        SweepFunction = "RecycleNotificationPoison";

    /// <summary>The queue triggers' queue names, as app settings (%…%) both hosts read (<see cref="NotificationOptions"/>).</summary>
    public const string FanoutQueueSetting = "%Notifications:FanoutQueue%", DeliveryQueueSetting = "%Notifications:DeliveryQueue%";

    /// <summary>The Functions app's sweep: every five minutes (<see cref="NotificationOptions.SweepInterval"/>'s default).</summary>
    public const string SweepSchedule = "0 */5 * * * *";

    public async Task FanOutAsync(string messageText, CancellationToken ct = default)
    {
        if (NotificationQueues.Read<FanoutMessage>(messageText) is not { Partition: not null, Id: not null } message)
        {
            log.LogWarning("A fan-out message that is not one was dropped: {Message}", messageText);
            return;
        }
        if (await outbox.GetAsync(message, ct) is not { } kept || kept.Fanout == NotificationOutbox.FanoutDone) return;
        Notification n = kept.Notification;
        List<Subscription> receivers = await subscriptions.ReceiversAsync(n.Type, n.Unit, ct);
        foreach (Subscription subscription in receivers)
        {
            DateTimeOffset now = clock.GetUtcNow();
            string id = Delivery.IdOf(n, subscription.Id);
            var delivery = new Delivery(id, subscription.Id, n.Id, n.CampaignId, n.Type, n.Unit, n.Subject, DeliveryStatus.Pending,
                Attempts: 0, Queued: false, CreatedAt: now, RetryFrom: now, NextAttemptAt: now);
            await deliveries.AddAsync(delivery, WebhookSender.EventOf(n, id, source.Uri), ct);
            if (await deliveries.GetAsync(subscription.Id, id, ct) is { } stored) await QueueNextAsync(stored.Delivery, stored.ETag, ct);
        }
        await outbox.MarkFannedOutAsync(message, ct);
        log.LogInformation("Notification {NotificationId} ({Type} to {Role} at {Unit}) fanned out to {Count} subscriptions",
            n.Id, n.Type, n.Role, n.Unit, receivers.Count);
    }

    public async Task DeliverAsync(string messageText, CancellationToken ct = default)
    {
        if (NotificationQueues.Read<DeliveryMessage>(messageText) is not { Subscription: not null, Delivery: not null } message)
        {
            log.LogWarning("A delivery message that is not one was dropped: {Message}", messageText);
            return;
        }
        for (int tries = 0; tries < 5; tries++)
        {
            if (await deliveries.GetAsync(message.Subscription, message.Delivery, ct) is not { } found) return;
            var (delivery, body, etag) = found;
            if (delivery.Status != DeliveryStatus.Pending) return;
            if (message.Attempt <= delivery.Attempts)
            {
                // This attempt was made; a handler that died before queueing the next leaves it unqueued, and this repeat queues it.
                if (message.Attempt == delivery.Attempts && !delivery.Queued) await QueueNextAsync(delivery, etag, ct);
                return;
            }
            if (message.Attempt > delivery.Attempts + 1) return; // not a message this delivery's row sent

            Subscription? subscription = (await subscriptions.FindAsync(delivery.SubscriptionId, ct))?.Subscription;
            SigningSecrets? secrets = subscription is { Deleted: false } ? await OpenSecretsAsync(subscription, ct) : null;
            if (subscription is not { Deleted: false } || secrets is null)
            {
                await CancelAsync(delivery, etag, ct);
                return;
            }

            DateTimeOffset now = clock.GetUtcNow();
            if (delivery.SendingSince is { } since && now < since + SendingLease)
            {
                // Another handler is sending this attempt: look again when its lease ends, in case it died before recording it.
                await queues.SendAsync(message, since + SendingLease - now, ct);
                return;
            }
            if (await deliveries.TryUpdateAsync(delivery with { SendingSince = now }, etag, ct) is { } claimed)
            {
                await SendAsync(message.Attempt, delivery, body, claimed, subscription, secrets, ct);
                return;
            }
            // The row changed between reading and claiming (say, its sender wrote down that this message was queued): again.
        }
        throw new InvalidOperationException($"Delivery {message.Delivery} kept changing while attempt {message.Attempt} claimed it");
    }

    /// <summary>
    /// How long a handler's claim on an attempt holds: its request's limit twice, and half a minute to read the secrets and
    /// record the result. A claim older than this is a handler that died, and the next message of the attempt sends it.
    /// </summary>
    TimeSpan SendingLease => options.RequestTimeout * 2 + TimeSpan.FromSeconds(30);

    /// <summary>Makes the attempt this handler claimed, records it (and the claim's end), and queues the next if it failed.</summary>
    async Task SendAsync(int attempt, Delivery delivery, string body, ETag etag, Subscription subscription, SigningSecrets secrets,
        CancellationToken ct)
    {
        DateTimeOffset at = clock.GetUtcNow();
        AttemptResult result = secrets.Current.Length == 0
            ? new AttemptResult(false, null, "refused: the subscription's secret does not open (was Outbox:BindingKey changed?)")
            : await sender.SendAsync(subscription.Url, delivery.Id, body, secrets.At(at), at, ct);
        DateTimeOffset after = clock.GetUtcNow();
        Delivery next = delivery with
        {
            Attempts = attempt, Queued = false, SendingSince = null, LastAttemptAt = at, LastStatusCode = result.StatusCode,
            LastResult = result.Result,
        };
        if (result.Delivered) next = next with { Status = DeliveryStatus.Delivered, DeliveredAt = after, NextAttemptAt = null };
        else
        {
            DateTimeOffset nextAt = after + RetrySchedule.Delay(attempt, options, Random.Shared.NextDouble());
            next = nextAt > delivery.RetryFrom + options.RetryFor
                ? next with { Status = DeliveryStatus.Dead, DeadAt = after, NextAttemptAt = null }
                : next with { NextAttemptAt = nextAt };
        }
        if (await RecordAsync(next, etag, ct) is not { } written) return;
        log.LogInformation("Delivery {DeliveryId} of {NotificationId} to {SubscriptionId}, attempt {Attempt}: {Result}; now {Status}",
            delivery.Id, delivery.NotificationId, delivery.SubscriptionId, attempt, result.Result, next.Status);
        if (next.Status == DeliveryStatus.Pending) await QueueNextAsync(next, written, ct);
    }

    /// <summary>Cancels a delivery whose subscription was deleted (on the row as it now is, if it changed meanwhile).</summary>
    async Task CancelAsync(Delivery delivery, ETag etag, CancellationToken ct)
    {
        for (int tries = 0; tries < 5 && delivery.Status == DeliveryStatus.Pending; tries++)
        {
            Delivery cancelled = delivery with
            {
                Status = DeliveryStatus.Cancelled, Queued = false, SendingSince = null, NextAttemptAt = null,
                LastResult = "subscription deleted",
            };
            if (await deliveries.TryUpdateAsync(cancelled, etag, ct) is not null
                || await deliveries.GetAsync(delivery.SubscriptionId, delivery.Id, ct) is not { } now)
                return;
            (delivery, etag) = (now.Delivery, now.ETag);
        }
    }

    /// <summary>
    /// Records an attempt on the delivery's row, unless another handler recorded this attempt first (a message seen twice:
    /// that one queues the next). The row may also have changed only to say that this attempt's message was queued, when the
    /// message was taken before its sender wrote that down: the attempt is recorded on the row as it now is.
    /// </summary>
    async Task<ETag?> RecordAsync(Delivery attempted, ETag etag, CancellationToken ct)
    {
        for (int tries = 0; tries < 5; tries++)
        {
            if (await deliveries.TryUpdateAsync(attempted, etag, ct) is { } written) return written;
            if (await deliveries.GetAsync(attempted.SubscriptionId, attempted.Id, ct) is not { } now
                || now.Delivery.Status != DeliveryStatus.Pending || now.Delivery.Attempts >= attempted.Attempts)
                return null;
            etag = now.ETag;
        }
        return null;
    }

    /// <summary>
    /// The subscription's secrets; an empty one when they do not open (sealed under another binding key): the attempt then
    /// fails as any other, and the delivery ends a dead letter, which says why, instead of a message that fails for ever.
    /// </summary>
    async Task<SigningSecrets?> OpenSecretsAsync(Subscription subscription, CancellationToken ct)
    {
        try
        {
            return await subscriptions.SecretsAsync(subscription, ct);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or FormatException)
        {
            log.LogWarning("The secret of subscription {SubscriptionId} does not open: {Error}", subscription.Id, e.Message);
            return new SigningSecrets("", null, null);
        }
    }

    /// <summary>
    /// Puts a dead delivery back on the queue with a new retry period (the organization department's redelivery). Answers the
    /// delivery as it now stands; null when it is not dead (or not pending without its next attempt queued, which a repeat
    /// of a redelivery that failed half-way finishes).
    /// </summary>
    public async Task<Delivery?> RedeliverAsync(Delivery delivery, ETag etag, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (delivery.Status == DeliveryStatus.Pending && !delivery.Queued)
            return await QueueNextAsync(delivery, etag, ct) ?? delivery;
        if (delivery.Status != DeliveryStatus.Dead) return null;
        DateTimeOffset now = clock.GetUtcNow();
        Delivery again = delivery with
        {
            Status = DeliveryStatus.Pending, Queued = false, RetryFrom = now, NextAttemptAt = now, DeadAt = null,
        };
        if (await deliveries.TryUpdateAsync(again, etag, ct) is not { } written) return null;
        return await QueueNextAsync(again, written, ct) ?? again;
    }

    /// <summary>Queues the delivery's next attempt, delayed until it is due, then records that it is queued.</summary>
    async Task<Delivery?> QueueNextAsync(Delivery delivery, ETag etag, CancellationToken ct)
    {
        if (delivery.Status != DeliveryStatus.Pending || delivery.Queued) return null;
        TimeSpan delay = (delivery.NextAttemptAt ?? clock.GetUtcNow()) - clock.GetUtcNow();
        await queues.SendAsync(new DeliveryMessage(delivery.SubscriptionId, delivery.Id, delivery.Attempts + 1), delay, ct);
        Delivery queued = delivery with { Queued = true };
        // Not written when the row changed meanwhile: whoever changed it queued what follows.
        return await deliveries.TryUpdateAsync(queued, etag, ct) is not null ? queued : null;
    }

    /// <summary>Moves the messages of both poison queues back to their queues, to be tried again.</summary>
    public async Task<int> RecyclePoisonAsync(CancellationToken ct = default)
    {
        await queues.EnsureCreatedAsync();
        int moved = 0;
        foreach (var (poison, queue) in new[] { (queues.FanoutPoison, queues.Fanout), (queues.DeliveriesPoison, queues.Deliveries) })
            moved += await MoveAsync(poison, queue, ct);
        if (moved > 0) log.LogWarning("{Count} notification messages came back from the poison queues to be tried again", moved);
        return moved;
    }

    static async Task<int> MoveAsync(QueueClient from, QueueClient to, CancellationToken ct)
    {
        int moved = 0;
        for (int batch = 0; batch < 100; batch++)
        {
            QueueMessage[] messages = (await from.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1), ct)).Value;
            if (messages.Length == 0) break;
            foreach (QueueMessage message in messages)
            {
                await to.SendMessageAsync(message.MessageText, TimeSpan.Zero, TimeSpan.FromSeconds(-1), ct);
                await from.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                moved++;
            }
        }
        return moved;
    }
}

/// <summary>The waits between a delivery's attempts: exponential, capped, with jitter.</summary>
public static class RetrySchedule
{
    /// <summary>At most this share of a wait is taken off at random, so that deliveries failed together do not retry together.</summary>
    public const double Jitter = 0.25;

    /// <summary>
    /// The wait after failed attempt <paramref name="attempt"/> (1 for the first): <see cref="NotificationOptions.FirstRetryAfter"/>
    /// doubled for each attempt before it, at most <see cref="NotificationOptions.MaxRetryAfter"/>, less up to
    /// <see cref="Jitter"/> of it (<paramref name="random"/> in [0, 1)). Below the cap each wait is longer than the one before.
    /// </summary>
    public static TimeSpan Delay(int attempt, NotificationOptions options, double random)
    {
        ArgumentNullException.ThrowIfNull(options);
        double doubled = options.FirstRetryAfter.TotalSeconds * Math.Pow(2, Math.Min(Math.Max(attempt, 1) - 1, 30));
        double capped = Math.Min(doubled, options.MaxRetryAfter.TotalSeconds);
        return TimeSpan.FromSeconds(capped * (1 - Jitter * Math.Clamp(random, 0, 1)));
    }
}
