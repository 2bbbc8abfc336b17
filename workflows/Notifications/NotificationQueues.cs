using System.Text.Json;
using Azure.Storage.Queues;
using Eval.Workflows.Storage;

namespace Eval.Workflows.Notifications;

/// <summary>A kept notification to fan out: its row in table Notifications.</summary>
public sealed record FanoutMessage(string Partition, string Id);

/// <summary>One attempt of one delivery: its row in table Deliveries, and the attempt's number (1 for the first).</summary>
public sealed record DeliveryMessage(string Subscription, string Delivery, int Attempt);

/// <summary>
/// The two Azure Storage queues of delivery: notifications to fan out, and delivery attempts, each a JSON message in base64
/// (as the Functions queue trigger reads them). A message is delayed by its visibility timeout: that is how a retry waits.
/// The Functions app's queue triggers and the local host's dispatcher read the same queues, with the same handling of a
/// message that fails: seen again after <see cref="RetryVisibility"/>, moved to "{queue}-poison" after
/// <see cref="MaxDequeueCount"/> tries (host.json says the same; HostParityTests compares them).
/// </summary>
public sealed class NotificationQueues
{
    /// <summary>A message whose handling threw this many times goes to the poison queue.</summary>
    public const int MaxDequeueCount = 10;

    /// <summary>A message whose handling threw is seen again after this long.</summary>
    public static readonly TimeSpan RetryVisibility = TimeSpan.FromSeconds(30);

    /// <summary>The longest a queue message may be hidden (Azure Storage's limit).</summary>
    public static readonly TimeSpan MaxVisibilityDelay = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);

    public const string PoisonSuffix = "-poison";

    static readonly JsonSerializerOptions MessageJson = new(JsonSerializerDefaults.Web);

    // Never expire: a delivery's last message may wait out its retry period, and a fan-out message must not vanish.
    static readonly TimeSpan Forever = TimeSpan.FromSeconds(-1);

    volatile bool created;

    public NotificationQueues(QueueServiceClient service, StorageOptions storage, NotificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(service);
        string prefix = storage.TablePrefix.ToLowerInvariant();
        Fanout = service.GetQueueClient(options.FanoutQueue is { Length: > 0 } f ? f : prefix + "notifications");
        Deliveries = service.GetQueueClient(options.DeliveryQueue is { Length: > 0 } d ? d : prefix + "webhook-deliveries");
        FanoutPoison = service.GetQueueClient(Fanout.Name + PoisonSuffix);
        DeliveriesPoison = service.GetQueueClient(Deliveries.Name + PoisonSuffix);
    }

    public QueueClient Fanout { get; }
    public QueueClient Deliveries { get; }
    public QueueClient FanoutPoison { get; }
    public QueueClient DeliveriesPoison { get; }

    /// <summary>The poison queue of <paramref name="queue"/>.</summary>
    public QueueClient PoisonOf(QueueClient queue) => queue == Fanout ? FanoutPoison : queue == Deliveries ? DeliveriesPoison
        : throw new ArgumentException($"Not a notification queue: {queue?.Name}.", nameof(queue));

    /// <summary>The queues with their poison queues (created once per process, on first use).</summary>
    public IEnumerable<QueueClient> All => [Fanout, Deliveries, FanoutPoison, DeliveriesPoison];

    /// <summary>The client options every queue client here needs: base64 messages, as the Functions trigger expects.</summary>
    public static QueueClientOptions ClientOptions() => new() { MessageEncoding = QueueMessageEncoding.Base64 };

    /// <summary>Creates the queues unless this process did already (a failure is tried again on the next call).</summary>
    public async Task EnsureCreatedAsync()
    {
        if (created) return;
        foreach (QueueClient queue in All) await queue.CreateIfNotExistsAsync();
        created = true;
    }

    public Task SendAsync(FanoutMessage message, TimeSpan? delay = null, CancellationToken ct = default) =>
        SendAsync(Fanout, JsonSerializer.Serialize(message, MessageJson), delay, ct);

    public Task SendAsync(DeliveryMessage message, TimeSpan? delay = null, CancellationToken ct = default) =>
        SendAsync(Deliveries, JsonSerializer.Serialize(message, MessageJson), delay, ct);

    async Task SendAsync(QueueClient queue, string text, TimeSpan? delay, CancellationToken ct)
    {
        await EnsureCreatedAsync();
        // Queues count visibility in whole seconds: round up, so that a wait is never cut short (nor 0.8 s made 0).
        TimeSpan visibility = delay is { } d && d > TimeSpan.Zero
            ? TimeSpan.FromSeconds(Math.Ceiling(Math.Min(d.TotalSeconds, MaxVisibilityDelay.TotalSeconds))) : TimeSpan.Zero;
        await queue.SendMessageAsync(text, visibility, Forever, ct);
    }

    /// <summary>A message's record, or null for one that is not (it is dropped: trying it again would not change it).</summary>
    public static T? Read<T>(string text) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(text, MessageJson);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Azure Storage's rule for queue names: 3 to 63 lower-case letters, digits and single hyphens.</summary>
    public static bool IsValidName(string name) =>
        name.Length is >= 3 and <= 63 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && name[0] != '-' && name[^1] != '-' && !name.Contains("--", StringComparison.Ordinal);
}
