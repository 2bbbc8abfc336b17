using Eval.Api;
using Eval.Api.Auth;
using Eval.Api.Handlers;
using Eval.LocalHost.ApiDescription;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Microsoft.DurableTask.Client;
using Microsoft.OpenApi;

namespace Eval.LocalHost;

/// <summary>
/// The HTTP routes of the local runtime: the same handlers, routes and methods as the Functions app's
/// [HttpTrigger]s (HostParityTests compares this list with the Functions app's functions.metadata). Each route also
/// says what the OpenAPI document tells about it: its name (the Functions function's name), the token it needs,
/// its body's JSON Schema, its answers and its problems.
/// </summary>
public static class LocalApi
{
    const string Schema = "application/schema+json";
    const string OrgDepartment = Roles.OrgDepartment;

    public static IEndpointRouteBuilder MapEvalApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder api = app.MapGroup("/" + ApiRoutes.Prefix);

        api.MapGet(ApiRoutes.Health, (HttpRequest req, DurableTaskClient client, HealthHandler h) => h.GetAsync(req, client))
            .WithName("Health").WithTags("Health").WithSummary("Storage and task hub health")
            .WithDescription("Asks storage and the task hub, each within 5 seconds. 503 names the failing check.")
            .Produces<HealthView>().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet(ApiRoutes.Schema, (HttpRequest req, string name, SchemaHandlers h) => h.GetAsync(req, name))
            .WithName("GetSchema").WithTags("Schemas").WithSummary("A JSON Schema request bodies are validated with")
            .WithDescription($"The draft-07 JSON Schema of a request body: {string.Join(", ", SchemaCatalog.StaticNames)}. " +
                "The same schemas are in this document's components. A campaign's self-assessment schema depends on its rubric: " +
                "GET /api/campaigns/{cid}/schemas/self-assessment.")
            .Produces(StatusCodes.Status200OK, contentType: Schema).ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPut(ApiRoutes.Units, (HttpRequest req, UnitHandlers h) => h.PutAsync(req))
            .WithName("PutUnits").WithTags("Units").WithSummary("Upsert part of the org tree")
            .WithDescription("Parents must exist or come in the same request; each unit's kind must agree with the depth of its id.")
            .RequiresToken("org-department, for units at or below its unit", OrgDepartment)
            .ValidatedBody(SchemaCatalog.Units).Produces<UnitsUpserted>();
        api.MapGet(ApiRoutes.Unit, (HttpRequest req, string id, UnitHandlers h) => h.GetAsync(req, id))
            .WithName("GetUnit").WithTags("Units").WithSummary("A unit and its children")
            .RequiresToken("a working role (not member) at, above or below the unit", Roles.Working.ToArray())
            .Produces<UnitView>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet(ApiRoutes.Campaigns, (HttpRequest req, CampaignHandlers h) => h.ListAsync(req))
            .WithName("ListCampaigns").WithTags("Campaigns").WithSummary("The campaigns at, above or below your unit, newest first")
            .WithQueryParameter("status", "Only campaigns with this status: created, running, publicity or published.")
            .WithDescription("Working roles see the campaigns at, above or below their unit; members those inside whose unit they are, " +
                "from the public notice on (the campaigns they may object in).")
            .RequiresToken("any role", Roles.All.ToArray())
            .Produces<CampaignList>().ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost(ApiRoutes.Campaigns, (HttpRequest req, CampaignHandlers h) => h.CreateAsync(req))
            .WithName("CreateCampaign").WithTags("Campaigns").WithSummary("Define a campaign")
            .WithDescription("Validated against the campaign schema, then against the rules it cannot say (unique ids, a unity criterion, " +
                "levels in descending order, durations). 409 when the id exists.")
            .RequiresToken("org-department covering the campaign's unit", OrgDepartment)
            .ValidatedBody(SchemaCatalog.Campaign).Produces<CampaignView>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet(ApiRoutes.Campaign, (HttpRequest req, string cid, CampaignHandlers h) => h.GetAsync(req, cid))
            .WithName("GetCampaign").WithTags("Campaigns").WithSummary("A campaign's status and its evaluations per stage")
            .WithDescription($"The counts per stage are at most {StageCounter.MaxAge.TotalSeconds:0} seconds old. A member inside the campaign's " +
                "unit gets, from the public notice on, only the campaign's summary (as in the list): title, status and notice dates.")
            .RequiresToken("a working role at, above or below the campaign's unit; a member inside it from the notice on", Roles.All.ToArray())
            .Produces<CampaignView>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost(ApiRoutes.CampaignStart, (HttpRequest req, DurableTaskClient client, string cid, CampaignHandlers h) => h.StartAsync(req, client, cid))
            .WithName("StartCampaign").WithTags("Campaigns").WithSummary("Start one evaluation workflow per branch")
            .WithDescription("Actions on evaluations are taken once the campaign's branchCount is set. 409 unless the campaign is created.")
            .RequiresToken("org-department of the campaign's unit or above", OrgDepartment).IdempotentWithoutBody()
            .Produces<CampaignStarted>(StatusCodes.Status202Accepted).Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapGet(ApiRoutes.SelfAssessmentSchema, (HttpRequest req, string cid, CampaignHandlers h) => h.SelfAssessmentSchemaAsync(req, cid))
            .WithName("GetSelfAssessmentSchema").WithTags("Schemas", "Campaigns").WithSummary("The self-assessment schema generated from the campaign's rubric")
            .RequiresToken("a working role at, above or below the campaign's unit", Roles.Working.ToArray())
            .Produces(StatusCodes.Status200OK, contentType: Schema).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost(ApiRoutes.Publication, (HttpRequest req, DurableTaskClient client, string cid, CampaignHandlers h) => h.PublicationAsync(req, client, cid))
            .WithName("RequestPublication").WithTags("Campaigns").WithSummary("Rank the branches and open the public notice")
            .WithDescription("409 while evaluations are unfinished, unless {\"force\":true} ends them as not-evaluated. The body is optional.")
            .RequiresToken("org-department of the campaign's unit or above", OrgDepartment)
            .ValidatedBody(SchemaCatalog.Publication, required: false).Produces<PublicationAccepted>(StatusCodes.Status202Accepted)
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        api.MapGet(ApiRoutes.Evaluations, (HttpRequest req, string cid, EvaluationHandlers h) => h.ListAsync(req, cid))
            .WithName("ListEvaluations").WithTags("Evaluations").WithSummary("A paged work queue of a campaign's evaluations")
            .WithQueryParameter("unit", "Only branches at or below this unit (default: the narrower of your unit and the campaign's).")
            .WithQueryParameter("stage", "Only evaluations at this stage: " + string.Join(", ", Eval.Workflows.Domain.Stages.All) + ".")
            .WithQueryParameter("pageSize", $"1 to {EvaluationHandlers.MaxPageSize} (default 50).", JsonSchemaType.Integer)
            .WithQueryParameter("continuationToken", "The continuationToken of the previous page.")
            .RequiresToken("a working role covering the unit asked for (a branch secretary: its branch)", Roles.Working.ToArray())
            .Produces<EvaluationPage>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity);
        api.MapGet(ApiRoutes.Evaluation, (HttpRequest req, string cid, string branchId, EvaluationHandlers h) => h.GetAsync(req, cid, branchId))
            .WithName("GetEvaluation").WithTags("Evaluations").WithSummary("A branch's evaluation: stage, outcome, score, submission, review, scores, history")
            .RequiresToken("the branch's secretary, or a township reviewer, county scorer or org-department covering it", Roles.Working.ToArray())
            .Produces<EvaluationView>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapPost(ApiRoutes.SelfAssessment, (HttpRequest req, DurableTaskClient client, string cid, string branchId, EvaluationHandlers h) => h.TakeStepAsync(HumanSteps.SelfAssessment, req, client, cid, branchId))
            .WithName("SubmitSelfAssessment").WithTags("Evaluations").WithSummary("Submit the branch's self-assessment")
            .WithDescription("The body's exact schema follows the campaign's rubric: GET /api/campaigns/{cid}/schemas/self-assessment. " +
                "409 outside the stage or after the deadline.")
            .RequiresToken("branch-secretary of the branch", Roles.BranchSecretary)
            .ValidatedBody(OpenApiSetup.SelfAssessmentBody).Produces<StepAccepted>(StatusCodes.Status202Accepted)
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapPost(ApiRoutes.TownshipReview, (HttpRequest req, DurableTaskClient client, string cid, string branchId, EvaluationHandlers h) => h.TakeStepAsync(HumanSteps.TownshipReview, req, client, cid, branchId))
            .WithName("SubmitTownshipReview").WithTags("Evaluations").WithSummary("Approve, return (at most maxReturns times) or reject a self-assessment")
            .RequiresToken("township-reviewer of the branch's township; a county-scorer in scope once the review is overdue",
                Roles.TownshipReviewer, Roles.CountyScorer)
            .ValidatedBody(SchemaCatalog.TownshipReview).Produces<StepAccepted>(StatusCodes.Status202Accepted)
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapPost(ApiRoutes.CountyScore, (HttpRequest req, DurableTaskClient client, string cid, string branchId, EvaluationHandlers h) => h.TakeStepAsync(HumanSteps.CountyScore, req, client, cid, branchId))
            .WithName("SubmitCountyScore").WithTags("Evaluations").WithSummary("Score a branch (each of scorersPerBranch scorers once)")
            .WithDescription("The body's exact schema follows the campaign's rubric (every criterion with its maximum, the veto item ids).")
            .RequiresToken("county-scorer of the branch's county; org-department in scope once scoring is overdue",
                Roles.CountyScorer, OrgDepartment)
            .ValidatedBody(OpenApiSetup.CountyScoreBody).Produces<StepAccepted>(StatusCodes.Status202Accepted)
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        api.MapGet(ApiRoutes.Ratings, (HttpRequest req, string cid, RatingHandlers h) => h.GetAsync(req, cid))
            .WithName("GetRatings").WithTags("Ratings and objections").WithSummary("The list under public notice, then the published one")
            .WithDescription($"Public: no token. 409 before the notice opens. With a strong ETag (304 to If-None-Match); during the notice " +
                $"at most {RatingHandlers.NoticeMaxAge.TotalSeconds:0} seconds old and revalidated (no-cache), once published cacheable for good.")
            .Produces<RatingsView>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapPost(ApiRoutes.Objections, (HttpRequest req, DurableTaskClient client, string cid, ObjectionHandlers h) => h.FileAsync(req, client, cid))
            .WithName("FileObjection").WithTags("Ratings and objections").WithSummary("Object to a branch's result during the public notice")
            .WithDescription("One open objection per person and branch; at most Objections__MaxPerCaller per person and campaign (409).")
            .RequiresToken("any role inside the campaign's unit", Roles.All.ToArray())
            .ValidatedBody(SchemaCatalog.Objection).Produces<ObjectionAccepted>(StatusCodes.Status202Accepted)
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapGet(ApiRoutes.Objections, (HttpRequest req, string cid, ObjectionHandlers h) => h.ListAsync(req, cid))
            .WithName("ListObjections").WithTags("Ratings and objections").WithSummary("A page of a campaign's objections, oldest first")
            .WithDescription("All of them for the organization department (to resolve them); one's own for anyone else inside the campaign's unit.")
            .WithQueryParameter("status", "Only objections with this status: open, upheld or dismissed.")
            .WithQueryParameter("pageSize", $"1 to {ObjectionHandlers.MaxPageSize} (default 50).", JsonSchemaType.Integer)
            .WithQueryParameter("continuationToken", "The continuationToken of the previous page.")
            .RequiresToken("org-department of the campaign's unit or above; any role inside it for its own", Roles.All.ToArray())
            .Produces<ObjectionList>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity);
        api.MapGet(ApiRoutes.Objection, (HttpRequest req, string cid, string oid, ObjectionHandlers h) => h.GetAsync(req, cid, oid))
            .WithName("GetObjection").WithTags("Ratings and objections").WithSummary("One objection and its resolution (where a filed objection's Location points)")
            .RequiresToken("org-department of the campaign's unit or above, or the objection's filer", Roles.All.ToArray())
            .Produces<ObjectionView>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost(ApiRoutes.ObjectionResolution, (HttpRequest req, DurableTaskClient client, string cid, string oid, ObjectionHandlers h) => h.ResolveAsync(req, client, cid, oid))
            .WithName("ResolveObjection").WithTags("Ratings and objections").WithSummary("Uphold (revoking the branch's level, no re-ranking) or dismiss an objection")
            .RequiresToken("org-department of the campaign's unit or above", OrgDepartment)
            .ValidatedBody(SchemaCatalog.ObjectionResolution).Produces<ObjectionResolutionView>()
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapPost(ApiRoutes.ObjectionResolutions, (HttpRequest req, DurableTaskClient client, string cid, ObjectionHandlers h) => h.ResolveManyAsync(req, client, cid))
            .WithName("ResolveObjections").WithTags("Ratings and objections").WithSummary("One finding for many objections")
            .WithDescription("Every id must exist (else 422, nothing done); objections resolved already are left as they are and listed. " +
                "Each resolution is its own audit link; upheld ones revoke their branches' levels.")
            .RequiresToken("org-department of the campaign's unit or above", OrgDepartment)
            .ValidatedBody(SchemaCatalog.ObjectionResolutions).Produces<ObjectionResolutionsView>()
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        api.MapGet(ApiRoutes.AuditVerification, (HttpRequest req, string cid, AuditHandlers h) => h.VerifyAsync(req, cid))
            .WithName("VerifyAudit").WithTags("Audit").WithSummary("Recompute the campaign's hash-chained audit log and name the first broken link")
            .RequiresToken("org-department of the campaign's unit or above", OrgDepartment)
            .Produces<AuditVerificationView>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost(ApiRoutes.SelfTests, (HttpRequest req, DurableTaskClient client, SelfTestHandlers h) => h.StartAsync(req, client))
            .WithName("StartSelfTest").WithTags("Self-tests").WithSummary("Start the deployment self-test: a table write, an external event, a durable timer")
            .RequiresToken("org-department (the operators)", OrgDepartment)
            .Accepts<SelfTestHandlers.StartRequest>("application/json").BodyProblems().Produces<SelfTestStarted>(StatusCodes.Status202Accepted);
        api.MapPost(ApiRoutes.SelfTestConfirmation, (HttpRequest req, DurableTaskClient client, string id, SelfTestHandlers h) => h.ConfirmAsync(req, client, id))
            .WithName("ConfirmSelfTest").WithTags("Self-tests").WithSummary("Confirm a waiting self-test (the external event)")
            .RequiresToken("org-department (the operators)", OrgDepartment)
            .Accepts<SelfTestHandlers.ConfirmRequest>(isOptional: true, "application/json").BodyProblems()
            .Produces(StatusCodes.Status202Accepted).Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapGet(ApiRoutes.SelfTest, (HttpRequest req, string id, SelfTestHandlers h) => h.GetAsync(req, id))
            .WithName("GetSelfTest").WithTags("Self-tests").WithSummary("A self-test's recorded state")
            .RequiresToken("org-department (the operators)", OrgDepartment)
            .Produces<SelfTestView>().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
