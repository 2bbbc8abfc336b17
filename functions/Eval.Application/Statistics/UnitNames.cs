using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.Application.Statistics;

/// <summary>The names of the units around a unit, for reports: the unit, its ancestors, and its counties and townships.</summary>
public sealed class UnitNames(UnitStore units, RankingReader reader)
{
    /// <summary>
    /// Names by id of <paramref name="unit"/>, each of its ancestors (a point read each) and every unit under it down to
    /// the townships (one query per unit above them: a county's townships, a city's counties): never the branches, whose
    /// names the evaluations keep.
    /// </summary>
    public async Task<Dictionary<string, string>> AroundAsync(string unit, CancellationToken ct)
    {
        var ancestors = new List<string>();
        for (string? u = unit; u is not null; u = UnitPath.ParentOf(u)) ancestors.Add(u);
        Task<Unit?[]> above = Task.WhenAll(ancestors.Select(u => units.GetAsync(u, ct)));
        Dictionary<string, string> names = UnitPath.Depth(unit) < UnitKinds.DepthOf(UnitKinds.Township)
            ? await reader.UnitNamesAsync(unit, UnitKinds.DepthOf(UnitKinds.Township), ct)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Unit? u in await above)
            if (u is not null) names[u.Id] = u.Name;
        return names;
    }
}
