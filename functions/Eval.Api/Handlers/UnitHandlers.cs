using Eval.Api.Auth;
using Eval.Application;
using Eval.Application.Units;
using Eval.Api.Http;
using Eval.Workflows.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Eval.Api.Handlers;

/// <summary>PUT /api/units (upsert the org tree), POST /api/units/import (from a file) and GET /api/units/{id}.</summary>
public sealed class UnitHandlers(Authenticator auth, Idempotency idempotency, UnitCommands commands, UnitQueries queries,
    UnitImportOptions importOptions)
{
    public async Task<Results<Ok<UnitsUpserted>, ProblemHttpResult>> PutAsync(HttpRequest request)
    {
        Result<IReadOnlyList<Unit>> upserted = await auth.AuthenticateAsync(request).ThenAsync(caller =>
            commands.UpsertAsync(caller, () => RequestJson.ReadBodyAsync(request), request.HttpContext.RequestAborted));
        return upserted.Ok ? TypedResults.Ok(new UnitsUpserted(upserted.Value.Count)) : upserted.Problem.ToResult();
    }

    /// <summary>POST /api/units/import: the tree from a CSV or XLSX file (<see cref="UnitCommands.ImportAsync"/>).</summary>
    public Task<IResult> ImportAsync(HttpRequest request) =>
        idempotency.RunAsync(request, async () =>
        {
            Result<IReadOnlyList<Unit>> imported = await auth.AuthenticateAsync(request).ThenAsync(caller => commands.ImportAsync(caller,
                maxBytes => RequestFile.ReadAsync(request, UnitSheet.MediaTypes, maxBytes), request.HttpContext.RequestAborted));
            return imported.Ok ? TypedResults.Ok(new UnitsUpserted(imported.Value.Count)) : imported.Problem.ToResult();
        }, importOptions.MaxImportBytes);

    public async Task<Results<Ok<UnitView>, ProblemHttpResult>> GetAsync(HttpRequest request, string id) =>
        (await auth.AuthenticateAsync(request).ThenAsync(caller => queries.GetAsync(caller, id, request.HttpContext.RequestAborted)))
            .ToOk();
}
