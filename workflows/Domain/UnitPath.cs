using System.Text.RegularExpressions;

namespace Eval.Workflows.Domain;

/// <summary>
/// Unit ids are dot-separated paths of [a-z0-9-] segments: chifeng, chifeng.hongshan, chifeng.hongshan.t01,
/// chifeng.hongshan.t01.b001. The depth gives the kind; the parent is the id minus its last segment.
/// </summary>
public static partial class UnitPath
{
    public const int MaxLength = 200;

    // \z, not $: $ also matches before a final newline, which would let "chifeng\n" through.
    [GeneratedRegex("^[a-z0-9-]{1,40}(\\.[a-z0-9-]{1,40}){0,3}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid(string? id) => id is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(id);

    public static int Depth(string id) => id.Count(c => c == '.') + 1;

    /// <summary>city, county, township or branch, by depth.</summary>
    public static string KindOf(string id) => UnitKinds.ByDepth[Depth(id) - 1];

    public static string? ParentOf(string id) => id.LastIndexOf('.') is var i and > 0 ? id[..i] : null;

    /// <summary>A role held at <paramref name="scope"/> acts on that unit and its descendants only.</summary>
    public static bool Covers(string scope, string unitId) =>
        unitId.Length >= scope.Length && unitId.StartsWith(scope, StringComparison.Ordinal) &&
        (unitId.Length == scope.Length || unitId[scope.Length] == '.');

    /// <summary>The ancestor at <paramref name="depth"/> (1 = city), or the id itself when it is not deeper.</summary>
    public static string AncestorAt(string id, int depth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        int end = -1;
        for (int d = 0; d < depth; d++)
        {
            end = id.IndexOf('.', end + 1);
            if (end < 0) return id;
        }
        return id[..end];
    }
}
