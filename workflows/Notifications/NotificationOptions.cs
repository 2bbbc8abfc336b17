namespace Eval.Workflows.Notifications;

/// <summary>How notifications are delivered to webhook subscriptions (section "Notifications"; docs/notifications.md).</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>
    /// Local development only: subscriptions may name http URLs and private, loopback or link-local addresses (a relay on
    /// this machine). Off, only https URLs whose every address is public are taken, and a delivery connects only to a public
    /// address. `./eval up` and the tests with a local receiver turn it on; the app refuses to start with it in Azure.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>A delivery is retried for this long after its notification was kept (or after a redelivery); then it is dead.</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The wait after the first failed attempt; each later wait doubles (less up to a quarter, at random).</summary>
    public TimeSpan FirstRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>One attempt's limit, from connecting to the response's headers.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The queue of kept notifications to fan out to their subscriptions. Unset: "notifications" after the table prefix
    /// (<see cref="Storage.StorageOptions.TablePrefix"/>, lower-cased), so hosts that share an account by prefix keep their
    /// queues apart. The Functions app's trigger reads this setting (%Notifications:FanoutQueue%): set it there.
    /// </summary>
    public string? FanoutQueue { get; set; }

    /// <summary>
    /// The queue of delivery attempts (unset: "webhook-deliveries" after the table prefix), as <see cref="FanoutQueue"/>.
    /// </summary>
    public string? DeliveryQueue { get; set; }

    /// <summary>
    /// A kept notification is fanned out again after this long in any case (a second, delayed message, sent before it is
    /// kept): if the host died between keeping it and queueing it, this one still starts its deliveries.
    /// </summary>
    public TimeSpan FanoutRecheckAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The local host looks at an empty queue again after this long (the Functions host: host.json's maxPollingInterval).
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the local host moves messages that failed <see cref="NotificationQueues.MaxDequeueCount"/> times (storage was
    /// out) back from the poison queues (the Functions app: its timer trigger, every five minutes).
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(5);
}
