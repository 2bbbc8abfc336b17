using System.Globalization;
using System.Text.Json.Nodes;
using Eval.Workflows.Domain;

namespace Eval.Workflows.Notifications;

/// <summary>A recipient: a role at a unit (the secretary of a branch, the reviewers of a township…).</summary>
public sealed record Recipient(string Unit, string Role);

/// <summary>
/// What the notices of a waiting step say, and to whom: reminders of its deadline, a missed deadline, an urging, an
/// extension. Times are shown as China Standard Time (UTC+8, no daylight saving), the time the people live by.
/// </summary>
public static class StepNotices
{
    static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>"12月8日18:00": a moment as people in China read it.</summary>
    public static string When(DateTimeOffset time) =>
        time.ToOffset(ChinaOffset).ToString("M月d日HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The step of a stage in words: 自评, 审核, 考评.</summary>
    public static string StepTitle(string stage) => stage switch
    {
        Stages.AwaitingSelfAssessment => "自评",
        Stages.AwaitingTownshipReview => "苏木乡镇审核",
        Stages.AwaitingCountyScore => "旗县区考评",
        _ => stage,
    };

    /// <summary>A role in words, as a notice names who acted.</summary>
    public static string RoleTitle(string role) => role switch
    {
        Roles.BranchSecretary => "支部书记",
        Roles.TownshipReviewer => "苏木乡镇审核人",
        Roles.CountyScorer => "旗县区考评人",
        Roles.OrgDepartment => "组织部",
        _ => role,
    };

    /// <summary>
    /// Who the step of <paramref name="stage"/> waits on: the branch's secretary, its township's reviewers, its county's scorers.
    /// </summary>
    public static Recipient WaitsOn(string stage, string branchId) => stage switch
    {
        Stages.AwaitingSelfAssessment => new(branchId, Roles.BranchSecretary),
        Stages.AwaitingTownshipReview => new(UnitPath.AncestorAt(branchId, 3), Roles.TownshipReviewer),
        Stages.AwaitingCountyScore => new(UnitPath.AncestorAt(branchId, 2), Roles.CountyScorer),
        _ => throw new ArgumentException($"No one takes a step at stage '{stage}'.", nameof(stage)),
    };

    /// <summary>Who may take the step instead once it is overdue (the step's overdue role, at the branch's county).</summary>
    public static Recipient? StandsIn(string stage, string branchId) =>
        HumanStep.All.FirstOrDefault(s => s.Stage == stage)?.OverdueRole is { } role ? new(UnitPath.AncestorAt(branchId, 2), role) : null;

    public static string Subject(string campaignId, string branchId) => $"campaigns/{campaignId}/evaluations/{branchId}";

    public static string Reminder(string branchName, string stage, DateTimeOffset deadline) =>
        $"【提醒】{branchName}的{StepTitle(stage)}将于{When(deadline)}截止。";

    public static string Missed(string branchName, string stage, DateTimeOffset deadline, bool standingIn) => stage switch
    {
        Stages.AwaitingSelfAssessment => $"【逾期】{branchName}未在{When(deadline)}前提交自评，评定结束。",
        _ when standingIn => $"【逾期】{branchName}的{StepTitle(stage)}已于{When(deadline)}逾期，现可由你方代为办理。",
        _ => $"【逾期】{branchName}的{StepTitle(stage)}已于{When(deadline)}逾期，请尽快办理。",
    };

    public static string Urged(string branchName, Supervision urge, DateTimeOffset? deadline) =>
        $"【催办】{RoleTitle(urge.By.Role)}催办{branchName}的{StepTitle(urge.Stage)}" +
        (deadline is { } d ? $"（{When(d)}截止）" : "") + $"：{urge.Text}";

    public static string Extended(string branchName, Supervision extension) =>
        $"【延期】{branchName}的{StepTitle(extension.Stage)}截止时间已延至{When(extension.Deadline!.Value)}。";

    /// <summary>The facts every notice of a step carries: the branch, the stage and round, the deadline.</summary>
    public static JsonObject Data(string campaignId, string branchId, string stage, int round, DateTimeOffset? deadline) => new()
    {
        ["campaignId"] = campaignId, ["branchId"] = branchId, ["stage"] = stage, ["round"] = round,
        ["deadline"] = deadline?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
    };

    public static string Iso(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
}
