using Eval.Api.Auth;
using Eval.Api.Http;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;
using Microsoft.AspNetCore.Http;

namespace Eval.Api.Handlers;

/// <summary>PUT /api/units (upsert the org tree) and GET /api/units/{id} (a unit and its children).</summary>
public sealed class UnitHandlers(Authenticator auth, UnitStore units)
{
    public sealed record UnitsRequest(IReadOnlyList<Unit> Units);

    public async Task<IResult> PutAsync(HttpRequest request)
    {
        var (caller, denied) = await auth.AuthenticateAsync(request);
        if (denied is not null) return denied;
        if (!caller!.HasRole(Roles.OrgDepartment)) return Problems.Forbidden("Only the organization department maintains units.");

        var (body, problem) = await RequestJson.ReadAsync<UnitsRequest>(request, await SchemaCatalog.GetAsync(SchemaCatalog.Units));
        if (problem is not null) return problem;

        var errors = new List<FieldError>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < body!.Units.Count; i++)
        {
            Unit u = body.Units[i];
            if (!ids.Add(u.Id)) errors.Add(new($"/units/{i}/id", "appears twice in this request"));
            if (u.Kind != UnitPath.KindOf(u.Id)) errors.Add(new($"/units/{i}/kind", $"a unit at depth {UnitPath.Depth(u.Id)} is a {UnitPath.KindOf(u.Id)}"));
        }
        if (errors.Count > 0) return Problems.Validation(errors);

        string? outside = body.Units.Select(u => u.Id).FirstOrDefault(id => !caller.Covers(id));
        if (outside is not null) return Problems.Forbidden($"Unit '{outside}' is outside your unit '{caller.Unit}'.");

        // Parents must exist or come in the same request.
        var missingParents = body.Units.Select(u => UnitPath.ParentOf(u.Id)).OfType<string>().Where(p => !ids.Contains(p)).ToHashSet();
        HashSet<string> existing = await units.ExistingAsync(missingParents, request.HttpContext.RequestAborted);
        for (int i = 0; i < body.Units.Count; i++)
        {
            string? parent = UnitPath.ParentOf(body.Units[i].Id);
            if (parent is not null && !ids.Contains(parent) && !existing.Contains(parent))
                errors.Add(new($"/units/{i}/id", $"parent '{parent}' does not exist"));
        }
        if (errors.Count > 0) return Problems.Validation(errors);

        await units.UpsertAsync(body.Units, request.HttpContext.RequestAborted);
        return Results.Ok(new UnitsUpserted(body.Units.Count));
    }

    public async Task<IResult> GetAsync(HttpRequest request, string id)
    {
        var (caller, denied) = await auth.AuthenticateAsync(request);
        if (denied is not null) return denied;
        if (!caller!.IsWorking) return Problems.Forbidden("Units are read by the roles that evaluate (not by members).");
        if (!UnitPath.IsValid(id)) return Problems.NotFound($"No unit '{id}'.");
        // Your own subtree, and the units above you (the context you work in).
        if (!caller.Covers(id) && !UnitPath.Covers(id, caller.Unit))
            return Problems.Forbidden($"Unit '{id}' is outside your unit '{caller.Unit}'.");
        Unit? unit = await units.GetAsync(id, request.HttpContext.RequestAborted);
        if (unit is null) return Problems.NotFound($"No unit '{id}'.");
        List<Unit> children = await units.ChildrenAsync(id, request.HttpContext.RequestAborted);
        return Results.Ok(new UnitView(unit.Id, unit.Name, unit.Kind, UnitPath.ParentOf(id), children));
    }
}
