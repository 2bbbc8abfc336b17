using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Eval.Workflows.Notifications;

/// <summary>The states of a delivery.</summary>
public static class DeliveryStatus
{
    /// <summary>Waiting for its first attempt, or for the next after a failed one (<see cref="Delivery.Attempts"/> says which).</summary>
    public const string Pending = "pending";
    /// <summary>The receiver answered 2xx.</summary>
    public const string Delivered = "delivered";
    /// <summary>
    /// Every attempt in the retry period failed (a dead letter): the organization department sees it, and may redeliver it.
    /// </summary>
    public const string Dead = "dead";
    /// <summary>Its subscription was deleted before it was delivered.</summary>
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Pending, Delivered, Dead, Cancelled];
}

/// <summary>
/// One notification to one subscription: its CloudEvent (whose id is this delivery's id, the webhook-id of every attempt),
/// its attempts and where it stands. <see cref="Queued"/> says that the message of attempt <see cref="Attempts"/> + 1 is on
/// the queue, so that a handler that died after an attempt knows whether the next one was queued.
/// </summary>
/// <param name="RetryFrom">When its retry period started: when it was made, or redelivered.</param>
/// <param name="LastResult">What the last attempt got: "HTTP 503", "timed out after 10 s", "refused: …".</param>
/// <param name="SendingSince">
/// When a handler claimed attempt <see cref="Attempts"/> + 1 to send it: until its lease ends, a second message of the same
/// attempt (a fan-out repeated, a repeat that queued the next attempt again) waits instead of sending it too.
/// </param>
public sealed record Delivery(string Id, string SubscriptionId, string NotificationId, string? CampaignId, string Type, string Unit,
    string Subject, string Status, int Attempts, bool Queued, DateTimeOffset CreatedAt, DateTimeOffset RetryFrom,
    DateTimeOffset? NextAttemptAt = null, DateTimeOffset? LastAttemptAt = null, int? LastStatusCode = null,
    string? LastResult = null, DateTimeOffset? DeliveredAt = null, DateTimeOffset? DeadAt = null, DateTimeOffset? SendingSince = null)
{
    public const string IdPrefix = "dlv-";

    /// <summary>
    /// The delivery of a notification to a subscription: the same pair, the same id (a fan-out repeated makes no second one),
    /// ordered by the notification's time.
    /// </summary>
    public static string IdOf(Notification notification, string subscriptionId)
    {
        ArgumentNullException.ThrowIfNull(notification);
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(notification.Id + "\n" + subscriptionId)))[..20];
        return IdPrefix + notification.Time.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "-" + hash;
    }

    public static bool IsValidId(string? id) =>
        id is { Length: 39 } && id.StartsWith(IdPrefix, StringComparison.Ordinal) && id[4..18].All(char.IsAsciiDigit) && id[18] == '-'
        && id[19..].All(char.IsAsciiHexDigitLower);
}
