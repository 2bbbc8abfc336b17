using Eval.Api.Exports;
using Eval.Api.Handlers;
using Eval.Application.Statistics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;

namespace Eval.Api.Endpoints;

/// <summary>
/// Reports on a campaign: its statistics per unit, and its spreadsheets (the lists, a unit's evaluations, the statistics)
/// as XLSX or CSV. All are for the organization department, county scorers and township reviewers covering the unit (not
/// branch secretaries or members): they are the ones who follow, score and review a unit's evaluations.
/// </summary>
public static class ReportEndpoints
{
    const string Readers = "org-department, county-scorer or township-reviewer covering the unit (default: the campaign's unit, " +
        "or the caller's own when it lies inside the campaign's)";

    public static RouteGroupBuilder MapReports(this RouteGroupBuilder api)
    {
        string[] roles = [.. StatisticsQueries.Readers];
        api.MapGet("campaigns/{cid}/statistics", (HttpRequest req, string cid, ReportHandlers h) => h.StatisticsAsync(req, cid))
            .WithName("GetCampaignStatistics").WithTags("Reports")
            .WithSummary("Statistics per unit: stages, overdue, outcomes, levels, score and unity-share histograms, appraisal")
            .WithDescription("A row for the unit (total) and one per child unit (a township's children are its branches): counts " +
                "per stage and overdue, outcomes, levels once a list exists (the proposed one during the notice, the published one " +
                "after it), the scored evaluations' mean and histograms (scores in ten bins of 10 points, unity shares in ten bins of " +
                "0.1; each bin holds its lower bound, the last is open above), and the members' appraisal (民主测评: rosters, " +
                "eligible, ballots, participation) when the campaign holds one. " +
                $"At most {StatisticsQueries.MaxAge.TotalSeconds:0} seconds old " +
                "(asOf): each host computes a campaign's statistics once for every caller. 422 for a unit outside the campaign's.")
            .RequiresToken(Readers, roles)
            .WithQueryParameter("unit", "A unit id at or under the campaign's unit, covered by the caller.")
            .Produces<CampaignStatistics>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity);
        api.MapGet("campaigns/{cid}/exports/notice", (HttpRequest req, string cid, ReportHandlers h) => h.NoticeAsync(req, cid))
            .WithName("ExportNoticeList").WithTags("Reports").WithSummary("The list under public notice (公示名单) as XLSX or CSV")
            .WithDescription("The proposed ratings of the unit's branches (rank, branch, township, county, score, unity share, " +
                "proposed level, reason), in branch id order, from the notice on (409 before). The list is public already at " +
                "GET …/ratings; its export still needs a token because each one reads the whole list from storage (the public " +
                "list is kept per host, the export is not), and those who post the notice are the organization department.")
            .RequiresToken(Readers, roles).Exported().Problems(StatusCodes.Status409Conflict);
        api.MapGet("campaigns/{cid}/exports/published", (HttpRequest req, string cid, ReportHandlers h) => h.PublishedAsync(req, cid))
            .WithName("ExportPublishedList").WithTags("Reports").WithSummary("The published list (评定结果名单) as XLSX or CSV")
            .WithDescription("The published ratings of the unit's branches, as the notice export, once published (409 before). " +
                "Public at GET …/ratings; a token for the export, as for the notice's.")
            .RequiresToken(Readers, roles).Exported().Problems(StatusCodes.Status409Conflict);
        api.MapGet("campaigns/{cid}/exports/evaluations",
                (HttpRequest req, string cid, ReportHandlers h) => h.EvaluationsAsync(req, cid))
            .WithName("ExportEvaluations").WithTags("Reports")
            .WithSummary("A unit's evaluations and where each stands (评定情况明细)")
            .WithDescription("One row per branch under the unit, in branch id order: branch id and name, township, county, stage, " +
                "overdue, outcome, score, unity share, level (once a list exists) and, when the campaign holds one, the members' " +
                "appraisal as counted. Read from storage a page at a time while the file is written. 409 before the start.")
            .RequiresToken(Readers, roles).Exported().Problems(StatusCodes.Status409Conflict);
        api.MapGet("campaigns/{cid}/exports/statistics",
                (HttpRequest req, string cid, ReportHandlers h) => h.StatisticsExportAsync(req, cid))
            .WithName("ExportStatistics").WithTags("Reports").WithSummary("The statistics (统计) as XLSX or CSV")
            .WithDescription("GET …/statistics as a sheet: one row per child unit, then the unit's total (合计).")
            .RequiresToken(Readers, roles).Exported();
        return api;
    }

    /// <summary>
    /// An export's parameters and answers: ?format= and ?unit=, the file (XLSX or CSV, binary) with its Content-Disposition,
    /// 404 for an unknown campaign and 422 for a bad query value.
    /// </summary>
    static RouteHandlerBuilder Exported(this RouteHandlerBuilder builder) => builder
        .WithQueryParameter("format", "xlsx (default) or csv (RFC 4180, UTF-8 with a byte order mark, CRLF).")
        .WithQueryParameter("unit", "A unit id at or under the campaign's unit, covered by the caller.")
        .Produces(StatusCodes.Status200OK)
        .Problems(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity)
        .AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.TryGetValue("200", out IOpenApiResponse? ok) != true || ok is not OpenApiResponse file)
                return Task.CompletedTask;
            file.Description = "The file, written as it is read (chunked). Text cells that would begin with =, +, -, @, a tab or a " +
                "carriage return begin with a single quote instead (formula injection); numbers are numbers.";
            file.Content = new Dictionary<string, OpenApiMediaType>
            {
                [ExportWriters.XlsxMediaType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                [ExportWriters.CsvMediaType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
            };
            file.Headers ??= new Dictionary<string, IOpenApiHeader>();
            file.Headers["Content-Disposition"] = new OpenApiHeader
            {
                Description = "attachment, with the file's Chinese name (filename*=UTF-8''…, RFC 6266 and RFC 5987) and an ASCII " +
                    "fallback (filename=…): e.g. 赤峰市2026年最强党支部评定公示名单.xlsx.",
                Required = true,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
            return Task.CompletedTask;
        });
}
