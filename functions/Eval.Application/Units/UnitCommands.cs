using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;

namespace Eval.Application.Units;

public sealed record UnitsRequest(IReadOnlyList<Unit> Units);

/// <summary>The organization department maintains the org tree: city → county/banner → township/sumu/street → branch.</summary>
public sealed class UnitCommands(UnitStore units)
{
    /// <summary>
    /// Upserts part of the tree, all or nothing: each unit's kind must agree with the depth of its id (and only branches
    /// have a category), every unit must be
    /// inside the caller's unit, and parents must exist or come in the same request. Returns the units written.
    /// </summary>
    public async Task<Result<IReadOnlyList<Unit>>> UpsertAsync(Caller caller, Func<Task<Result<string>>> readBody, CancellationToken ct)
    {
        if (!caller.HasRole(Roles.OrgDepartment)) return Problem.Forbidden("Only the organization department maintains units.");
        Result<UnitsRequest> body = await CommandBody.ReadAsync<UnitsRequest>(readBody,
            await SchemaCatalog.GetAsync(SchemaCatalog.Units));
        if (!body.Ok) return body.Problem;
        IReadOnlyList<Unit> given = body.Value.Units;

        var errors = new List<FieldError>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < given.Count; i++)
        {
            Unit u = given[i];
            if (!ids.Add(u.Id)) errors.Add(new($"/units/{i}/id", "appears twice in this request"));
            if (u.Kind != UnitPath.KindOf(u.Id))
                errors.Add(new($"/units/{i}/kind", $"a unit at depth {UnitPath.Depth(u.Id)} is a {UnitPath.KindOf(u.Id)}"));
            if (u.Category is not null && u.Kind != UnitKinds.Branch)
                errors.Add(new($"/units/{i}/category", "only a branch has a category"));
        }
        if (errors.Count > 0) return Problem.Validation(errors);

        string? outside = given.Select(u => u.Id).FirstOrDefault(id => !caller.Covers(id));
        if (outside is not null) return Problem.Forbidden($"Unit '{outside}' is outside your unit '{caller.Unit}'.");

        // Parents must exist or come in the same request.
        var missingParents = given.Select(u => UnitPath.ParentOf(u.Id)).OfType<string>().Where(p => !ids.Contains(p)).ToHashSet();
        HashSet<string> existing = await units.ExistingAsync(missingParents, ct);
        for (int i = 0; i < given.Count; i++)
        {
            string? parent = UnitPath.ParentOf(given[i].Id);
            if (parent is not null && !ids.Contains(parent) && !existing.Contains(parent))
                errors.Add(new($"/units/{i}/id", $"parent '{parent}' does not exist"));
        }
        if (errors.Count > 0) return Problem.Validation(errors);

        await units.UpsertAsync(given, ct);
        return Result<IReadOnlyList<Unit>>.Of(given);
    }
}
