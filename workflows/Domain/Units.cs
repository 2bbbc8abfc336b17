namespace Eval.Workflows.Domain;

/// <summary>The kinds of org unit, by depth in the id path: city.county.township.branch.</summary>
public static class UnitKinds
{
    public const string City = "city";
    public const string County = "county";
    public const string Township = "township";
    public const string Branch = "branch";

    public static readonly IReadOnlyList<string> ByDepth = [City, County, Township, Branch];
}

/// <summary>An org unit: a node of the city → county → township → branch tree.</summary>
public sealed record Unit(string Id, string Name, string Kind);
