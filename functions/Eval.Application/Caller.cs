using Eval.Workflows.Domain;

namespace Eval.Application;

/// <summary>The authenticated user: who they are, their roles (known ones only), and the unit those roles apply to.</summary>
public sealed record Caller(string Id, string Name, IReadOnlyList<string> Roles, string Unit)
{
    public bool HasRole(string role) => Roles.Contains(role, StringComparer.Ordinal);

    /// <summary>A role that takes part in evaluating (not only <see cref="Workflows.Domain.Roles.Member"/>).</summary>
    public bool IsWorking => Roles.Any(r => Workflows.Domain.Roles.Working.Contains(r, StringComparer.Ordinal));

    /// <summary>True for the caller's unit and its descendants; an id that is not a valid unit path is never covered.</summary>
    public bool Covers(string unitId) => UnitPath.IsValid(unitId) && UnitPath.Covers(Unit, unitId);

    public bool CanActOn(string role, string unitId) => HasRole(role) && Covers(unitId);

    /// <summary>A working role whose scope takes in the unit: who may read an evaluation or a work queue there.</summary>
    public bool WorksOn(string unitId) => IsWorking && Covers(unitId);
}
