namespace Eval.LocalHost;

/// <summary>Settings of the local runtime (section "LocalHost", i.e. LocalHost__* in local.settings.json).</summary>
public sealed class LocalHostOptions
{
    public const string Section = "LocalHost";

    /// <summary>The API port; 7071 is the one `func start` uses, so URLs read the same under both hosts.</summary>
    public int HttpPort { get; set; } = 7071;

    /// <summary>The loopback gRPC port of the Durable Task sidecar.</summary>
    public int SidecarPort { get; set; } = 4001;

    /// <summary>
    /// Names this process to the Azure Storage provider. Restarting with the same id takes the partition leases
    /// back at once; a new id waits for the old leases to expire (about 30 s).
    /// </summary>
    public string WorkerId { get; set; } = Environment.MachineName;

    /// <summary>
    /// Control queues. Every one is polled on its own, and while events trickle in (people acting through the API) each
    /// poll finds a message or two, or none: two queues halve the empty polls of four. Orchestration episodes take
    /// milliseconds, so two partitions (and at most two hosts running orchestrations) are ample for a campaign; host.json
    /// says the same. Fixed when a task hub is created, as in Durable Functions: to change it, start a new hub (EvalTaskHub).
    /// </summary>
    public int PartitionCount { get; set; } = 2;

    /// <summary>The provider backs off to this when queues are idle; its default of 30 s makes new work wait.</summary>
    public double MaxQueuePollingIntervalSeconds { get; set; } = 1;

    /// <summary>The sidecar's dispatcher sleeps 500 ms whenever it reaches these caps, so keep them above the load.</summary>
    public int MaxConcurrentOrchestrations { get; set; } = 200;

    public int MaxConcurrentActivities { get; set; } = 200;

    /// <summary>
    /// Control-queue messages held in memory at once, across partitions; past it the provider stops fetching. With the
    /// provider's 64 a city's burst of decisions left the queues up to a minute behind (docs/benchmarks.md); 256 is
    /// Durable Functions' own default.
    /// </summary>
    public int ControlQueueBufferThreshold { get; set; } = 256;

    /// <summary>
    /// After a crash, the orchestration messages the dead process had dequeued reappear after this long (the
    /// provider's default is 5 minutes). Orchestration episodes take milliseconds, so 30 s is ample.
    /// </summary>
    public double ControlQueueVisibilityTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// The same for activity messages (default 5 minutes): a crash mid-activity delays that activity by this much.
    /// Every activity here takes seconds (a campaign's start is split per township for this reason); one that ran
    /// longer would be run again, which each activity tolerates (they are written to be repeated).
    /// </summary>
    public double WorkItemQueueVisibilityTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// How long an orchestration's history stays in memory after an episode, waiting for its next message (0: off).
    /// Most episodes here come in pairs seconds apart (an event, then its activity's result), and each one that
    /// finds its session kept skips reading the history from the History table. Durable Functions does the same
    /// with host.json's extendedSessionsEnabled and extendedSessionIdleTimeoutInSeconds.
    /// </summary>
    public double ExtendedSessionIdleTimeoutSeconds { get; set; } = 30;

    /// <summary>At most this many sessions wait at once; past it, a session is released at once (history is re-read).</summary>
    public int MaxIdleSessions { get; set; } = 2000;
}
