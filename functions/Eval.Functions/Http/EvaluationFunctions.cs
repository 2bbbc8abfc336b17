using Eval.Api.Handlers;
using Eval.Application.Evaluations;
using Eval.Workflows.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Eval.Functions.Http;

/// <summary>The Functions triggers of the evaluation endpoints (see <see cref="Api.Endpoints.EvalApi"/>).</summary>
public sealed class EvaluationFunctions(EvaluationHandlers evaluations)
{
    [Function("ListEvaluations")]
    public Task<Results<Ok<EvaluationPage>, ProblemHttpResult>> ListEvaluations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaigns/{cid}/evaluations")] HttpRequest req,
        string cid) =>
        evaluations.ListAsync(req, cid);

    [Function("GetEvaluation")]
    public Task<Results<Ok<EvaluationView>, ProblemHttpResult>> GetEvaluation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaigns/{cid}/evaluations/{branchId}")] HttpRequest req,
        string cid, string branchId) =>
        evaluations.GetAsync(req, cid, branchId);

    [Function("SubmitSelfAssessment")]
    public Task<IResult> SubmitSelfAssessment(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "campaigns/{cid}/evaluations/{branchId}/self-assessment")]
        HttpRequest req,
        [DurableClient] DurableTaskClient client, string cid, string branchId) =>
        evaluations.TakeStepAsync(HumanSteps.SelfAssessment, req, client, cid, branchId);

    [Function("SubmitTownshipReview")]
    public Task<IResult> SubmitTownshipReview(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "campaigns/{cid}/evaluations/{branchId}/township-review")]
        HttpRequest req,
        [DurableClient] DurableTaskClient client, string cid, string branchId) =>
        evaluations.TakeStepAsync(HumanSteps.TownshipReview, req, client, cid, branchId);

    [Function("SubmitCountyScore")]
    public Task<IResult> SubmitCountyScore(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "campaigns/{cid}/evaluations/{branchId}/county-score")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string cid, string branchId) =>
        evaluations.TakeStepAsync(HumanSteps.CountyScore, req, client, cid, branchId);

    [Function("RecordJointVeto")]
    public Task<IResult> RecordJointVeto(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "campaigns/{cid}/evaluations/{branchId}/vetoes")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string cid, string branchId) =>
        evaluations.RecordJointVetoAsync(req, client, cid, branchId);
}
