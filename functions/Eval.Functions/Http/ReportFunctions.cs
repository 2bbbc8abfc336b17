using Eval.Api.Handlers;
using Eval.Application.Statistics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Http;

/// <summary>The Functions triggers of the report endpoints (see <see cref="Api.Endpoints.ReportEndpoints"/>).</summary>
public sealed class ReportFunctions(ReportHandlers reports)
{
    [Function("GetCampaignStatistics")]
    public Task<Results<Ok<CampaignStatistics>, ProblemHttpResult>> GetCampaignStatistics(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaigns/{cid}/statistics")] HttpRequest req, string cid) =>
        reports.StatisticsAsync(req, cid);

    [Function("ExportNoticeList")]
    public Task<IResult> ExportNoticeList(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaigns/{cid}/exports/notice")] HttpRequest req, string cid) =>
        reports.NoticeAsync(req, cid);

    [Function("ExportPublishedList")]
    public Task<IResult> ExportPublishedList(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaigns/{cid}/exports/published")] HttpRequest req, string cid) =>
        reports.PublishedAsync(req, cid);

    [Function("ExportEvaluations")]
    public Task<IResult> ExportEvaluations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaigns/{cid}/exports/evaluations")] HttpRequest req, string cid) =>
        reports.EvaluationsAsync(req, cid);

    [Function("ExportStatistics")]
    public Task<IResult> ExportStatistics(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaigns/{cid}/exports/statistics")] HttpRequest req, string cid) =>
        reports.StatisticsExportAsync(req, cid);
}
