using Eval.Api;
using Eval.Api.Handlers;
using Microsoft.DurableTask.Client;

namespace Eval.LocalHost;

/// <summary>
/// The HTTP routes of the local runtime: the same handlers, routes and methods as the Functions app's
/// [HttpTrigger]s (a test compares this list with the Functions app's functions.metadata).
/// </summary>
public static class LocalApi
{
    public static IEndpointRouteBuilder MapEvalApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder api = app.MapGroup("/" + ApiRoutes.Prefix);
        api.MapGet(ApiRoutes.Health, (HttpRequest req, DurableTaskClient client, HealthHandler h) => h.GetAsync(req, client));
        api.MapPost(ApiRoutes.SelfTests, (HttpRequest req, DurableTaskClient client, SelfTestHandlers h) => h.StartAsync(req, client));
        api.MapPost(ApiRoutes.SelfTestConfirmation, (HttpRequest req, DurableTaskClient client, string id, SelfTestHandlers h) => h.ConfirmAsync(req, client, id));
        api.MapGet(ApiRoutes.SelfTest, (HttpRequest req, string id, SelfTestHandlers h) => h.GetAsync(req, id));
        return app;
    }
}
