using Eval.Api.Auth;
using Eval.Application;
using Eval.Application.Units;
using Eval.Api.Http;
using Eval.Workflows.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Eval.Api.Handlers;

/// <summary>PUT /api/units (upsert the org tree) and GET /api/units/{id} (a unit and its children).</summary>
public sealed class UnitHandlers(Authenticator auth, UnitCommands commands, UnitQueries queries)
{
    public async Task<Results<Ok<UnitsUpserted>, ProblemHttpResult>> PutAsync(HttpRequest request)
    {
        Result<IReadOnlyList<Unit>> upserted = await auth.AuthenticateAsync(request).ThenAsync(caller =>
            commands.UpsertAsync(caller, () => RequestJson.ReadBodyAsync(request), request.HttpContext.RequestAborted));
        return upserted.Ok ? TypedResults.Ok(new UnitsUpserted(upserted.Value.Count)) : upserted.Problem.ToResult();
    }

    public async Task<Results<Ok<UnitView>, ProblemHttpResult>> GetAsync(HttpRequest request, string id) =>
        (await auth.AuthenticateAsync(request).ThenAsync(caller => queries.GetAsync(caller, id, request.HttpContext.RequestAborted)))
            .ToOk();
}
