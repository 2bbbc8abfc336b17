using System.Text.Json.Serialization;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.Application.Units;

/// <summary>A unit, its parent's id and its children.</summary>
public sealed record UnitView(string Id, string Name, string Kind, string? Parent, IReadOnlyList<Unit> Children,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Category = null);

/// <summary>Reading the org tree.</summary>
public sealed class UnitQueries(UnitStore units)
{
    /// <summary>A unit and its children, for the roles that evaluate: their own subtree and the units above them.</summary>
    public async Task<Result<UnitView>> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        if (!caller.IsWorking) return Problem.Forbidden("Units are read by the roles that evaluate (not by members).");
        if (!UnitPath.IsValid(id)) return Problem.NotFound($"No unit '{id}'.");
        // Your own subtree, and the units above you (the context you work in).
        if (!caller.Covers(id) && !UnitPath.Covers(id, caller.Unit))
            return Problem.Forbidden($"Unit '{id}' is outside your unit '{caller.Unit}'.");
        Unit? unit = await units.GetAsync(id, ct);
        if (unit is null) return Problem.NotFound($"No unit '{id}'.");
        List<Unit> children = await units.ChildrenAsync(id, ct);
        return new UnitView(unit.Id, unit.Name, unit.Kind, UnitPath.ParentOf(id), children, unit.Category);
    }
}
