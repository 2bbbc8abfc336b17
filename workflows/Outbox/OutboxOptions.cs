namespace Eval.Workflows.Outbox;

/// <summary>How accepted actions whose events went missing are raised again (see <see cref="Domain.AcceptedAction"/>).</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>
    /// How often a running campaign's sweep looks for accepted actions not yet taken in. One timer and one filtered
    /// partition query per campaign each time: cheap, and a lost event waits at most about this long plus
    /// <see cref="RelayAfter"/>.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// An action this old and still not taken in is raised again. An event normally reaches its workflow within a
    /// second or two, but on a deadline day's load it can take tens of seconds: at 30 s, a 300-branch benchmark
    /// raised 33 county scores again that were only late, and each duplicate is an episode more for a busy engine.
    /// A lost event is rare (a failed raise, a crash), so two minutes' delay for it costs little.
    /// </summary>
    public TimeSpan RelayAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The key that binds kept events to their claims (<see cref="OutboxBinding"/>): base64 of at least 32 random bytes,
    /// required in Azure; the local host makes a key file of its own when it is not set.
    /// </summary>
    public string? BindingKey { get; set; }
}
