using Eval.Api.Handlers;
using Eval.Application.Audit;
using Eval.Application.SelfTests;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;

namespace Eval.Api.Endpoints;

/// <summary>Health, the published JSON Schemas, the audit check and the deployment self-test.</summary>
public static class OperationEndpoints
{
    const string Schema = "application/schema+json";

    public static RouteGroupBuilder MapOperations(this RouteGroupBuilder api)
    {
        api.MapGet("health", (HttpRequest req, DurableTaskClient client, HealthHandler h) => h.GetAsync(req, client))
            .WithName("Health").WithTags("Health").WithSummary("Storage and task hub health")
            .WithDescription("Asks storage and the task hub, each within 5 seconds. 503 names the failing check.")
            .Produces<HealthView>().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("schemas/{name}", (HttpRequest req, string name, SchemaHandlers h) => h.GetAsync(req, name))
            .WithName("GetSchema").WithTags("Schemas").WithSummary("A JSON Schema request bodies are validated with")
            .WithDescription($"The draft-07 JSON Schema of a request body: {string.Join(", ", SchemaCatalog.StaticNames)}. " +
                "The same schemas are in this document's components. A campaign's self-assessment schema depends on its rubric: " +
                "GET /api/campaigns/{cid}/schemas/self-assessment.")
            .Produces(StatusCodes.Status200OK, contentType: Schema).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("campaigns/{cid}/audit/verify", (HttpRequest req, string cid, AuditHandlers h) => h.VerifyAsync(req, cid))
            .WithName("VerifyAudit").WithTags("Audit")
            .WithSummary("Recompute the campaign's hash-chained audit log and name the first broken link")
            .RequiresToken("org-department of the campaign's unit or above", Roles.OrgDepartment)
            .Produces<AuditVerificationView>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("selftests", (HttpRequest req, DurableTaskClient client, SelfTestHandlers h) => h.StartAsync(req, client))
            .WithName("StartSelfTest").WithTags("Self-tests")
            .WithSummary("Start the deployment self-test: a table write, an external event, a durable timer")
            .RequiresToken("org-department (the operators)", Roles.OrgDepartment)
            .Accepts<SelfTestCommands.StartRequest>("application/json").BodyProblems()
            .Produces<SelfTestStarted>(StatusCodes.Status202Accepted);
        api.MapPost("selftests/{id}/confirmation",
            (HttpRequest req, DurableTaskClient client, string id, SelfTestHandlers h) => h.ConfirmAsync(req, client, id))
            .WithName("ConfirmSelfTest").WithTags("Self-tests").WithSummary("Confirm a waiting self-test (the external event)")
            .RequiresToken("org-department (the operators)", Roles.OrgDepartment)
            .Accepts<SelfTestCommands.ConfirmRequest>(isOptional: true, "application/json").BodyProblems()
            .Produces(StatusCodes.Status202Accepted).Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapGet("selftests/{id}", (HttpRequest req, string id, SelfTestHandlers h) => h.GetAsync(req, id))
            .WithName("GetSelfTest").WithTags("Self-tests").WithSummary("A self-test's recorded state")
            .RequiresToken("org-department (the operators)", Roles.OrgDepartment)
            .Produces<SelfTestView>().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }
}
