using System.Text.Json.Nodes;

namespace Eval.Workflows.Notifications;

/// <summary>
/// Something people are told, addressed as a unit and a role (the secretary of a branch, the reviewers of a township,
/// the organization department of a county): a reminder of a step's deadline, a missed deadline, an urging from above, an
/// extended deadline. <see cref="Id"/> is made from what the notification is about, so the same event told twice is kept
/// once.
/// </summary>
/// <param name="Type">One of <see cref="NotificationTypes"/>: the CloudEvents type of its deliveries.</param>
/// <param name="Subject">What it is about, as a path: "campaigns/{cid}/evaluations/{branchId}", "…/changes/{changeId}".</param>
/// <param name="Text">One sentence in Chinese a person can read as it is (a text message, a group bot's line).</param>
/// <param name="Data">The event's own facts (the step, its due time, who urged…), the CloudEvent's data beside the above.</param>
public sealed record Notification(string Id, string Type, DateTimeOffset Time, string Unit, string Role, string? CampaignId,
    string Subject, string Text, JsonObject? Data = null);

/// <summary>The kinds of notification, as CloudEvents types (reverse-DNS, as that specification recommends).</summary>
public static class NotificationTypes
{
    /// <summary>A step's deadline is near (by default 3 days and 1 day before it: a campaign setting).</summary>
    public const string Reminder = "cn.eval.reminder";
    /// <summary>A step's deadline passed with the step not taken.</summary>
    public const string Overdue = "cn.eval.overdue";
    /// <summary>A superior urged (催办) a waiting step.</summary>
    public const string Urged = "cn.eval.urged";
    /// <summary>The organization department or the county extended a step's deadline.</summary>
    public const string DeadlineExtended = "cn.eval.deadline-extended";

    public static readonly IReadOnlyList<string> All = [Reminder, Overdue, Urged, DeadlineExtended];
}
