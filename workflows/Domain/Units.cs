using System.Text.Json.Serialization;

namespace Eval.Workflows.Domain;

/// <summary>The kinds of org unit, by depth in the id path: city.county.township.branch.</summary>
public static class UnitKinds
{
    public const string City = "city";
    public const string County = "county";
    public const string Township = "township";
    public const string Branch = "branch";

    public static readonly IReadOnlyList<string> ByDepth = [City, County, Township, Branch];

    /// <summary>The depth of a unit of this kind (city 1 … branch 4), or 0 for no kind.</summary>
    public static int DepthOf(string kind) => kind switch { City => 1, County => 2, Township => 3, Branch => 4, _ => 0 };
}

/// <summary>
/// An org unit: a node of the city → county → township → branch tree. A branch may have a category
/// (<see cref="BranchCategories"/>), by which a campaign picks its rubric and may rank.
/// </summary>
public sealed record Unit(string Id, string Name, string Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Category = null);

/// <summary>What kind of organisation a party branch serves: the rating schemes set each its own rubric.</summary>
public static class BranchCategories
{
    /// <summary>嘎查村: a village (嘎查 in the pastoral banners).</summary>
    public const string Village = "village";
    /// <summary>社区: an urban community.</summary>
    public const string Community = "community";
    /// <summary>机关事业单位: a government office or public institution.</summary>
    public const string Office = "office";
    /// <summary>两新组织: a non-public enterprise or a social organisation.</summary>
    public const string Enterprise = "enterprise";
    /// <summary>学校: a school.</summary>
    public const string School = "school";
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All = [Village, Community, Office, Enterprise, School, Other];
}
