namespace Eval.Workflows.Domain;

/// <summary>
/// A self-test proves the deployment end to end: an orchestration writes to a table, waits for a confirmation
/// raised by a second request, and gives up at a durable-timer deadline.
/// </summary>
public sealed record SelfTestInput(string Id, DateTimeOffset Deadline, string RequestedBy);

public sealed record SelfTestConfirmation(string ConfirmedBy);

public sealed record SelfTestRecord(string Id, string Status, string RequestedBy, DateTimeOffset Deadline,
    string? ConfirmedBy = null, DateTimeOffset? At = null);

public static class SelfTestStatus
{
    public const string Waiting = "waiting";
    public const string Confirmed = "confirmed";
    public const string Expired = "expired";
}
