using Eval.Api.Handlers;
using Eval.Application.Audit;
using Eval.Application.SelfTests;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Eval.Functions.Http;

/// <summary>The Functions triggers of health, schemas, audit and self-tests (see <see cref="Api.Endpoints.EvalApi"/>).</summary>
public sealed class OperationFunctions(HealthHandler health, SchemaHandlers schemas, AuditHandlers audit, SelfTestHandlers selfTests)
{
    [Function("Health")]
    public Task<Results<Ok<HealthView>, ProblemHttpResult>> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => health.GetAsync(req, client);

    [Function("GetSchema")]
    public Task<Results<ContentHttpResult, ProblemHttpResult>> GetSchema(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "schemas/{name}")] HttpRequest req,
        string name) =>
        schemas.GetAsync(req, name);

    [Function("VerifyAudit")]
    public Task<Results<Ok<AuditVerificationView>, ProblemHttpResult>> VerifyAudit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaigns/{cid}/audit/verify")] HttpRequest req,
        string cid) =>
        audit.VerifyAsync(req, cid);

    [Function("StartSelfTest")]
    public Task<IResult> StartSelfTest(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "selftests")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => selfTests.StartAsync(req, client);

    [Function("ConfirmSelfTest")]
    public Task<IResult> ConfirmSelfTest(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "selftests/{id}/confirmation")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string id) => selfTests.ConfirmAsync(req, client, id);

    [Function("GetSelfTest")]
    public Task<Results<Ok<SelfTestView>, ProblemHttpResult>> GetSelfTest(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "selftests/{id}")] HttpRequest req,
        string id) => selfTests.GetAsync(req, id);
}
