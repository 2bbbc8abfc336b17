using Eval.Api;
using Eval.Api.Handlers;
using Microsoft.DurableTask.Client;

namespace Eval.LocalHost;

/// <summary>
/// The HTTP routes of the local runtime: the same handlers, routes and methods as the Functions app's
/// [HttpTrigger]s (HostParityTests compares this list with the Functions app's functions.metadata).
/// </summary>
public static class LocalApi
{
    public static IEndpointRouteBuilder MapEvalApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder api = app.MapGroup("/" + ApiRoutes.Prefix);
        api.MapGet(ApiRoutes.Health, (HttpRequest req, DurableTaskClient client, HealthHandler h) => h.GetAsync(req, client));
        api.MapGet(ApiRoutes.Schema, (HttpRequest req, string name, SchemaHandlers h) => h.GetAsync(req, name));

        api.MapPut(ApiRoutes.Units, (HttpRequest req, UnitHandlers h) => h.PutAsync(req));
        api.MapGet(ApiRoutes.Unit, (HttpRequest req, string id, UnitHandlers h) => h.GetAsync(req, id));

        api.MapPost(ApiRoutes.Campaigns, (HttpRequest req, CampaignHandlers h) => h.CreateAsync(req));
        api.MapGet(ApiRoutes.Campaign, (HttpRequest req, string cid, CampaignHandlers h) => h.GetAsync(req, cid));
        api.MapPost(ApiRoutes.CampaignStart, (HttpRequest req, DurableTaskClient client, string cid, CampaignHandlers h) => h.StartAsync(req, client, cid));
        api.MapGet(ApiRoutes.SelfAssessmentSchema, (HttpRequest req, string cid, CampaignHandlers h) => h.SelfAssessmentSchemaAsync(req, cid));
        api.MapPost(ApiRoutes.Publication, (HttpRequest req, DurableTaskClient client, string cid, CampaignHandlers h) => h.PublicationAsync(req, client, cid));

        api.MapGet(ApiRoutes.Evaluations, (HttpRequest req, string cid, EvaluationHandlers h) => h.ListAsync(req, cid));
        api.MapGet(ApiRoutes.Evaluation, (HttpRequest req, string cid, string branchId, EvaluationHandlers h) => h.GetAsync(req, cid, branchId));
        api.MapPost(ApiRoutes.SelfAssessment, (HttpRequest req, DurableTaskClient client, string cid, string branchId, EvaluationHandlers h) => h.SelfAssessmentAsync(req, client, cid, branchId));
        api.MapPost(ApiRoutes.TownshipReview, (HttpRequest req, DurableTaskClient client, string cid, string branchId, EvaluationHandlers h) => h.TownshipReviewAsync(req, client, cid, branchId));
        api.MapPost(ApiRoutes.CountyScore, (HttpRequest req, DurableTaskClient client, string cid, string branchId, EvaluationHandlers h) => h.CountyScoreAsync(req, client, cid, branchId));

        api.MapGet(ApiRoutes.Ratings, (HttpRequest req, string cid, RatingHandlers h) => h.GetAsync(req, cid));
        api.MapPost(ApiRoutes.Objections, (HttpRequest req, string cid, ObjectionHandlers h) => h.FileAsync(req, cid));
        api.MapPost(ApiRoutes.ObjectionResolution, (HttpRequest req, DurableTaskClient client, string cid, string oid, ObjectionHandlers h) => h.ResolveAsync(req, client, cid, oid));

        api.MapGet(ApiRoutes.AuditVerification, (HttpRequest req, string cid, AuditHandlers h) => h.VerifyAsync(req, cid));

        api.MapPost(ApiRoutes.SelfTests, (HttpRequest req, DurableTaskClient client, SelfTestHandlers h) => h.StartAsync(req, client));
        api.MapPost(ApiRoutes.SelfTestConfirmation, (HttpRequest req, DurableTaskClient client, string id, SelfTestHandlers h) => h.ConfirmAsync(req, client, id));
        api.MapGet(ApiRoutes.SelfTest, (HttpRequest req, string id, SelfTestHandlers h) => h.GetAsync(req, id));
        return app;
    }
}
