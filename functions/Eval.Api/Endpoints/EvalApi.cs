using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Eval.Api.Endpoints;

/// <summary>
/// The whole API under /api, area by area. Each endpoint is declared once, in its area's route table, with what the
/// OpenAPI document says of it; the local host maps these, and the Functions app's triggers (functions/Eval.Functions/Http,
/// one line each) serve the same routes (HostParityTests compares the two). docs/extending.md says how to add one.
/// </summary>
public static class EvalApi
{
    /// <summary>The route prefix: the Functions host's default routePrefix, and the local host's group.</summary>
    public const string Prefix = "api";

    public static IEndpointRouteBuilder MapEvalApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder api = app.MapGroup("/" + Prefix);
        api.MapOperations().MapUnits().MapCampaigns().MapEvaluations().MapAppraisals().MapEvidence().MapObjections()
            .MapHonours().MapHonourChanges().MapInbox().MapReports().MapSubscriptions();
        return app;
    }
}
