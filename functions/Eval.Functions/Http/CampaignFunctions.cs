using Eval.Api.Handlers;
using Eval.Application.Campaigns;
using Eval.Application.Rehearsals;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Eval.Functions.Http;

/// <summary>The Functions triggers of the campaign endpoints (see <see cref="Api.Endpoints.EvalApi"/>).</summary>
public sealed class CampaignFunctions(CampaignHandlers campaigns)
{
    [Function("ListCampaigns")]
    public Task<Results<Ok<CampaignList>, ProblemHttpResult>> ListCampaigns(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaigns")] HttpRequest req) =>
        campaigns.ListAsync(req);

    [Function("CreateCampaign")]
    public Task<IResult> CreateCampaign(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "campaigns")] HttpRequest req) =>
        campaigns.CreateAsync(req);

    [Function("GetCampaign")]
    public Task<Results<Ok<CampaignView>, Ok<CampaignSummary>, ProblemHttpResult>> GetCampaign(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaigns/{cid}")] HttpRequest req,
        string cid) =>
        campaigns.GetAsync(req, cid);

    [Function("StartCampaign")]
    public Task<IResult> StartCampaign(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "campaigns/{cid}/start")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string cid) =>
        campaigns.StartAsync(req, client, cid);

    [Function("GetSelfAssessmentSchema")]
    public Task<Results<ContentHttpResult, ProblemHttpResult>> GetSelfAssessmentSchema(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaigns/{cid}/schemas/self-assessment")] HttpRequest req,
        string cid) =>
        campaigns.SelfAssessmentSchemaAsync(req, cid);

    [Function("RequestPublication")]
    public Task<IResult> RequestPublication(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "campaigns/{cid}/publication")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string cid) =>
        campaigns.PublicationAsync(req, client, cid);

    [Function("RunRehearsal")]
    public Task<Results<Ok<RehearsalResult>, ProblemHttpResult>> RunRehearsal(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "campaigns/{cid}/rehearsals")] HttpRequest req, string cid) =>
        campaigns.RehearsalAsync(req, cid);
}
