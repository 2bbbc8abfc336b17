namespace Eval.Api.Auth;

/// <summary>The role names carried in a token's <c>roles</c> claim.</summary>
public static class Roles
{
    public const string BranchSecretary = "branch-secretary";
    public const string TownshipReviewer = "township-reviewer";
    public const string CountyScorer = "county-scorer";
    public const string OrgDepartment = "org-department";
    public const string Member = "member";

    public static IReadOnlyList<string> All { get; } = [BranchSecretary, TownshipReviewer, CountyScorer, OrgDepartment, Member];
}
