using Eval.Api.Auth;
using Eval.Application;
using Eval.Application.Units;
using Eval.Api.Http;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.AspNetCore.Http;

namespace Eval.Api.Handlers;

/// <summary>PUT /api/units (upsert the org tree) and GET /api/units/{id} (a unit and its children).</summary>
public sealed class UnitHandlers(Authenticator auth, UnitStore units, UnitCommands commands)
{
    public async Task<IResult> PutAsync(HttpRequest request)
    {
        var (caller, denied) = await auth.AuthenticateAsync(request);
        if (denied is not null) return denied;
        Result<IReadOnlyList<Unit>> upserted = await commands.UpsertAsync(caller!, () => RequestJson.ReadBodyAsync(request),
            request.HttpContext.RequestAborted);
        return upserted.Ok ? Results.Ok(new UnitsUpserted(upserted.Value.Count)) : upserted.Problem.ToResult();
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
