using Eval.Api.Auth;
using Eval.Api.Exports;
using Eval.Api.Http;
using Eval.Application;
using Eval.Application.Exports;
using Eval.Application.Statistics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Eval.Api.Handlers;

/// <summary>
/// A campaign's statistics (<see cref="StatisticsQueries"/>) and its exports as XLSX or CSV (<see cref="ExportQueries"/>).
/// </summary>
public sealed class ReportHandlers(Authenticator auth, StatisticsQueries statistics, ExportQueries exports)
{
    public async Task<Results<Ok<CampaignStatistics>, ProblemHttpResult>> StatisticsAsync(HttpRequest request, string campaignId) =>
        (await auth.AuthenticateAsync(request).ThenAsync(caller => statistics.GetAsync(caller, campaignId,
            request.Query["unit"].FirstOrDefault(), request.HttpContext.RequestAborted))).ToOk();

    public Task<IResult> NoticeAsync(HttpRequest request, string campaignId) => ExportAsync(request, campaignId, ExportQueries.Notice);

    public Task<IResult> PublishedAsync(HttpRequest request, string campaignId) =>
        ExportAsync(request, campaignId, ExportQueries.Published);

    public Task<IResult> EvaluationsAsync(HttpRequest request, string campaignId) =>
        ExportAsync(request, campaignId, ExportQueries.Evaluations);

    public Task<IResult> StatisticsExportAsync(HttpRequest request, string campaignId) =>
        ExportAsync(request, campaignId, ExportQueries.Statistics);

    async Task<IResult> ExportAsync(HttpRequest request, string campaignId, string what)
    {
        IQueryCollection q = request.Query;
        Result<ExportTable> table = await auth.AuthenticateAsync(request).ThenAsync(caller => exports.ExportAsync(caller, campaignId, what,
            q["unit"].FirstOrDefault(), q["format"].FirstOrDefault(), request.HttpContext.RequestAborted));
        return table.Ok ? new ExportFile(table.Value) : table.Problem.ToResult();
    }
}
