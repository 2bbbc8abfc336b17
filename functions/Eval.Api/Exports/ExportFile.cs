using Eval.Application.Exports;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Eval.Api.Exports;

/// <summary>
/// An export as the response: 200 with the file's media type, <c>Content-Disposition: attachment</c> with its Chinese name
/// (RFC 6266, <c>filename*=UTF-8''…</c> by RFC 5987) and an ASCII fallback, never cached or sniffed; the rows are written
/// as the query reads them, so the response is chunked and the file never whole in memory. Everything that can refuse
/// the request (the caller, the unit, the format, the campaign's status) was decided before: a storage failure half-way
/// can only cut the response short, and a cut XLSX or CSV is not mistaken for a whole one (the XLSX lacks its directory,
/// the CSV its last line break).
/// </summary>
public sealed class ExportFile(ExportTable table) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        CancellationToken ct = httpContext.RequestAborted;
        HttpResponse response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = table.Format == ExportFormat.Xlsx
            ? ExportWriters.XlsxMediaType
            : $"{ExportWriters.CsvMediaType}; charset=utf-8; header=present";
        response.Headers[HeaderNames.ContentDisposition] = Disposition(table).ToString();
        response.Headers[HeaderNames.CacheControl] = "no-store";
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        await using IExportWriter writer = await ExportWriters.StartAsync(response.Body, table, ct);
        await foreach (ExportValue[] row in table.Rows.WithCancellation(ct)) await writer.WriteRowAsync(row, ct);
        await writer.FinishAsync(ct);
    }

    /// <summary>attachment; filename=ASCII fallback; filename*=UTF-8''the Chinese name.</summary>
    public static ContentDispositionHeaderValue Disposition(ExportTable table) => new("attachment")
    {
        FileName = table.AsciiFileName + table.Extension,
        FileNameStar = table.FileName + table.Extension,
    };
}
