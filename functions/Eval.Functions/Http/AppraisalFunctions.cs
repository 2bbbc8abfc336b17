using Eval.Api.Handlers;
using Eval.Application.Appraisals;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Http;

/// <summary>The Functions triggers of the appraisal endpoints (see <see cref="Api.Endpoints.AppraisalEndpoints"/>).</summary>
public sealed class AppraisalFunctions(AppraisalHandlers appraisals)
{
    [Function("GetAppraisal")]
    public Task<Results<Ok<AppraisalView>, ProblemHttpResult>> GetAppraisal(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaigns/{cid}/evaluations/{branchId}/appraisal")] HttpRequest req,
        string cid, string branchId) =>
        appraisals.GetAsync(req, cid, branchId);

    [Function("SetAppraisalRoster")]
    public Task<IResult> SetAppraisalRoster(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "campaigns/{cid}/evaluations/{branchId}/appraisal/roster")]
        HttpRequest req,
        string cid, string branchId) =>
        appraisals.SetRosterAsync(req, cid, branchId);

    [Function("CastAppraisalBallot")]
    public Task<IResult> CastAppraisalBallot(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "campaigns/{cid}/evaluations/{branchId}/appraisal/ballots")]
        HttpRequest req,
        string cid, string branchId) =>
        appraisals.CastAsync(req, cid, branchId);
}
