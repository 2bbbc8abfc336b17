using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Eval.Api.Endpoints;

/// <summary>The whole API under /api, area by area; docs/extending.md says how to add an endpoint.</summary>
public static class EvalApi
{
    /// <summary>The route prefix: the Functions host's default routePrefix, and the local host's group.</summary>
    public const string Prefix = "api";

    public static IEndpointRouteBuilder MapEvalApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder api = app.MapGroup("/" + Prefix);
        api.MapOperations().MapUnits().MapCampaigns().MapEvaluations().MapObjections();
        return app;
    }
}
