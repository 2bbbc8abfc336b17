namespace Eval.Workflows.Domain;

/// <summary>
/// The role names carried in a token's <c>roles</c> claim. They match exactly, as Entra ID app roles do: a role
/// spelled otherwise is not one of these, and a token with none of them is refused (403) on every endpoint that needs one.
/// </summary>
public static class Roles
{
    public const string BranchSecretary = "branch-secretary";
    public const string TownshipReviewer = "township-reviewer";
    public const string CountyScorer = "county-scorer";
    public const string OrgDepartment = "org-department";
    public const string Member = "member";

    public static IReadOnlyList<string> All { get; } = [BranchSecretary, TownshipReviewer, CountyScorer, OrgDepartment, Member];

    /// <summary>The roles that take part in evaluating: they read evaluations, work queues and units in their scope.</summary>
    public static IReadOnlyList<string> Working { get; } = [BranchSecretary, TownshipReviewer, CountyScorer, OrgDepartment];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}
