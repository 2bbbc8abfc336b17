using System.Globalization;
using CsvHelper;
using Eval.Application.Exports;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace Eval.Api.Exports;

/// <summary>
/// Writes an export's header and rows to a stream as they come, in one format. Everything is written asynchronously: the
/// stream is the HTTP response, which takes no synchronous writes.
/// </summary>
public interface IExportWriter : IAsyncDisposable
{
    ValueTask WriteRowAsync(ExportValue[] row, CancellationToken ct);

    /// <summary>Ends the file (an XLSX's closing parts); the stream stays open.</summary>
    ValueTask FinishAsync(CancellationToken ct);
}

public static class ExportWriters
{
    public const string XlsxMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string CsvMediaType = "text/csv";

    /// <summary>A writer of <paramref name="table"/>'s format that has written the header row already.</summary>
    public static async ValueTask<IExportWriter> StartAsync(Stream stream, ExportTable table, CancellationToken ct) =>
        table.Format == ExportFormat.Xlsx
            ? await XlsxExportWriter.StartAsync(stream, table, ct)
            : await CsvExportWriter.StartAsync(stream, table, ct);
}

/// <summary>
/// An XLSX workbook of one sheet through SpreadCheetah, which zips each part straight into the stream (no seeking, no
/// file in memory; through <see cref="AsyncOnlyStream"/>, as the zip writes a few bytes synchronously): a bold, frozen
/// header row, column widths, scores with 2 decimals and shares as percentages.
/// </summary>
public sealed class XlsxExportWriter : IExportWriter
{
    readonly AsyncOnlyStream output;
    readonly Spreadsheet spreadsheet;
    readonly IReadOnlyList<ExportColumn> columns;
    readonly StyleId?[] styles;
    readonly Cell[] cells;

    XlsxExportWriter(AsyncOnlyStream output, Spreadsheet spreadsheet, IReadOnlyList<ExportColumn> columns, StyleId?[] styles)
    {
        this.output = output;
        this.spreadsheet = spreadsheet;
        this.columns = columns;
        this.styles = styles;
        cells = new Cell[columns.Count];
    }

    public static async ValueTask<XlsxExportWriter> StartAsync(Stream stream, ExportTable table, CancellationToken ct)
    {
        var output = new AsyncOnlyStream(stream);
        // Each cell with its reference (r="B7"): optional in the format, but readers such as ExcelJS need it.
        Spreadsheet spreadsheet = await Spreadsheet.CreateNewAsync(output, new SpreadCheetahOptions { WriteCellReferenceAttributes = true },
            ct);
        var options = new WorksheetOptions { FrozenRows = 1 };
        for (int i = 0; i < table.Columns.Count; i++) options.Column(i + 1).Width = table.Columns[i].Width;
        await spreadsheet.StartWorksheetAsync(table.SheetName, options, ct);
        StyleId header = spreadsheet.AddStyle(new Style { Font = { Bold = true } });
        StyleId score = spreadsheet.AddStyle(new Style { Format = NumberFormat.Custom("0.00") });
        StyleId share = spreadsheet.AddStyle(new Style { Format = NumberFormat.Custom("0.00%") });
        StyleId?[] styles = [.. table.Columns.Select(c => c.Kind switch
        {
            ExportKind.Score => score,
            ExportKind.Share => share,
            _ => null,
        })];
        var writer = new XlsxExportWriter(output, spreadsheet, table.Columns, styles);
        await spreadsheet.AddRowAsync(table.Columns.Select(c => new Cell(SpreadsheetText.Neutralise(c.Header), header)).ToArray(), ct);
        return writer;
    }

    public ValueTask WriteRowAsync(ExportValue[] row, CancellationToken ct)
    {
        for (int i = 0; i < columns.Count; i++)
        {
            ExportValue value = i < row.Length ? row[i] : default;
            cells[i] = value switch
            {
                { Number: { } number } when columns[i].Kind == ExportKind.Integer => new Cell(decimal.ToInt64(number)),
                { Number: { } number } => new Cell(number, styles[i]),
                { Text: { } text } => new Cell(SpreadsheetText.Neutralise(text)),
                _ => new Cell((string?)null),
            };
        }
        return spreadsheet.AddRowAsync(cells, ct);
    }

    public async ValueTask FinishAsync(CancellationToken ct)
    {
        await spreadsheet.FinishAsync(ct);
        await output.FlushAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await spreadsheet.DisposeAsync();
        await output.DisposeAsync();
    }
}

/// <summary>
/// CSV by RFC 4180 through CsvHelper: a UTF-8 byte order mark first (Excel in Chinese reads the file as UTF-8 only with
/// it), a header row, comma-separated fields quoted where needed, CRLF line ends; numbers in invariant culture. CsvHelper
/// buffers the fields and writes only in its async calls here, never synchronously.
/// </summary>
public sealed class CsvExportWriter : IExportWriter
{
    static readonly CsvWriterOptions Options = new()
    {
        NewLine = "\r\n",
        WriteByteOrderMark = true,
        // Formula injection is handled by SpreadsheetText for both formats, not a second time here.
        Injection = CsvInjection.None,
    };

    readonly CsvWriter csv;

    CsvExportWriter(CsvWriter csv) => this.csv = csv;

    public static async ValueTask<CsvExportWriter> StartAsync(Stream stream, ExportTable table, CancellationToken ct)
    {
        var writer = new CsvExportWriter(CsvWriter.Create(stream, Options, leaveOpen: true));
        foreach (ExportColumn column in table.Columns) writer.csv.WriteField(SpreadsheetText.Neutralise(column.Header));
        await writer.csv.EndRecordAsync(ct);
        return writer;
    }

    public async ValueTask WriteRowAsync(ExportValue[] row, CancellationToken ct)
    {
        foreach (ExportValue value in row)
            csv.WriteField(value switch
            {
                { Number: { } number } => number.ToString(CultureInfo.InvariantCulture),
                { Text: { } text } => SpreadsheetText.Neutralise(text),
                _ => "",
            });
        await csv.EndRecordAsync(ct);
    }

    public async ValueTask FinishAsync(CancellationToken ct) => await csv.FlushAsync(ct);

    public ValueTask DisposeAsync() => csv.DisposeAsync();
}
