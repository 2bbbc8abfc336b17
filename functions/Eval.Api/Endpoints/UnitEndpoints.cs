using Eval.Api.Handlers;
using Eval.Application.Units;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Eval.Api.Endpoints;

/// <summary>The org tree: city → county/banner → township/sumu/street → branch.</summary>
public static class UnitEndpoints
{
    public static RouteGroupBuilder MapUnits(this RouteGroupBuilder api)
    {
        api.MapPut("units", (HttpRequest req, UnitHandlers h) => h.PutAsync(req))
            .WithName("PutUnits").WithTags("Units").WithSummary("Upsert part of the org tree")
            .WithDescription("Parents must exist or come in the same request; each unit's kind must agree with the depth of its id.")
            .RequiresToken("org-department, for units at or below its unit", Roles.OrgDepartment)
            .ValidatedBody(SchemaCatalog.Units).Produces<UnitsUpserted>();
        api.MapGet("units/{id}", (HttpRequest req, string id, UnitHandlers h) => h.GetAsync(req, id))
            .WithName("GetUnit").WithTags("Units").WithSummary("A unit and its children")
            .RequiresToken("a working role (not member) at, above or below the unit", Roles.Working.ToArray())
            .Produces<UnitView>().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }
}
