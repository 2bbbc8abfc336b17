using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;

namespace Eval.Application.Units;

public sealed record UnitsRequest(IReadOnlyList<Unit> Units);

/// <summary>The organization department maintains the org tree: city → county/banner → township/sumu/street → branch.</summary>
public sealed class UnitCommands(UnitStore units, UnitImportOptions importOptions)
{
    const string DepartmentOnly = "Only the organization department maintains units.";

    /// <summary>
    /// Upserts part of the tree, all or nothing: each unit's kind must agree with the depth of its id (and only branches
    /// have a category), every unit must be
    /// inside the caller's unit, and parents must exist or come in the same request. Returns the units written.
    /// </summary>
    public async Task<Result<IReadOnlyList<Unit>>> UpsertAsync(Caller caller, Func<Task<Result<string>>> readBody, CancellationToken ct)
    {
        if (!caller.HasRole(Roles.OrgDepartment)) return Problem.Forbidden(DepartmentOnly);
        Result<UnitsRequest> body = await CommandBody.ReadAsync<UnitsRequest>(readBody,
            await SchemaCatalog.GetAsync(SchemaCatalog.Units));
        if (!body.Ok) return body.Problem;
        IReadOnlyList<Unit> given = body.Value.Units;
        return await WriteAsync(caller, given, (i, field) => $"/units/{i}/{field}", "id", ct);
    }

    /// <summary>
    /// Imports the tree, or part of it, from a CSV or XLSX file (<see cref="UnitSheet"/>): every row is read and checked,
    /// parents that come in the same file included, before anything is written; a row that fails is a 422 naming it
    /// (/rows/{row}/{column}, the row as a spreadsheet numbers it), and then nothing is written. Then as <see cref="UpsertAsync"/>.
    /// </summary>
    public async Task<Result<IReadOnlyList<Unit>>> ImportAsync(Caller caller, Func<long, Task<Result<UnitFile>>> readFile,
        CancellationToken ct)
    {
        if (!caller.HasRole(Roles.OrgDepartment)) return Problem.Forbidden(DepartmentOnly);
        Result<UnitFile> file = await readFile(importOptions.MaxImportBytes);
        if (!file.Ok) return file.Problem;
        Result<UnitSheet> sheet = UnitSheet.Read(file.Value, importOptions);
        if (!sheet.Ok) return sheet.Problem;
        IReadOnlyList<UnitSheet.Row> rows = sheet.Value.Rows;
        return await WriteAsync(caller, [.. rows.Select(r => r.Unit)], (i, field) => $"/rows/{rows[i].Number}/{field}", "parentId", ct);
    }

    /// <summary>
    /// Checks the units (each error at <paramref name="pointer"/>(index, field); a missing parent at the field named
    /// <paramref name="parentField"/>) and the caller's scope, and writes them all, or nothing.
    /// </summary>
    async Task<Result<IReadOnlyList<Unit>>> WriteAsync(Caller caller, IReadOnlyList<Unit> given, Func<int, string, string> pointer,
        string parentField, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < given.Count; i++)
        {
            Unit u = given[i];
            if (!ids.Add(u.Id)) errors.Add(new(pointer(i, "id"), "appears twice in this request"));
            if (u.Kind != UnitPath.KindOf(u.Id))
                errors.Add(new(pointer(i, "kind"), $"a unit at depth {UnitPath.Depth(u.Id)} is a {UnitPath.KindOf(u.Id)}"));
            if (u.Category is not null && u.Kind != UnitKinds.Branch)
                errors.Add(new(pointer(i, "category"), "only a branch has a category"));
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
                errors.Add(new(pointer(i, parentField), $"parent '{parent}' does not exist"));
        }
        if (errors.Count > 0) return Problem.Validation(errors);

        await units.UpsertAsync(given, ct);
        return Result<IReadOnlyList<Unit>>.Of(given);
    }
}
