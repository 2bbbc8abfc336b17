using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Eval.Api.Exports;
using Eval.Application.Exports;

namespace Eval.UnitTests.Reports;

/// <summary>
/// The export writers on a stream like an HTTP response's: written forward only, asynchronously only (a synchronous write
/// or a seek fails). The XLSX is read back with the Open XML SDK, not the library that wrote it; the functional tests read
/// both formats back with node readers over HTTP.
/// </summary>
public sealed class ExportWriterTests
{
    static readonly ExportColumn[] Columns =
    [
        new("支部编号", ExportKind.Text), new("党支部名称", ExportKind.Text), new("排名", ExportKind.Integer),
        new("得分", ExportKind.Score), new("民族团结进步得分率", ExportKind.Share),
    ];

    static readonly ExportValue[][] Rows =
    [
        [ExportValue.Of("c.t.b1"), ExportValue.Of("=HYPERLINK(\"http://evil.example\",\"点我\")"), ExportValue.Of(1),
            ExportValue.Of(96.5m), ExportValue.Of(0.96m)],
        [ExportValue.Of("c.t.b2"), ExportValue.Of("第1嘎查党支部"), ExportValue.Of(2), default, ExportValue.Of(-0.5m)],
    ];

    [Fact]
    public async Task An_xlsx_is_written_forward_only_and_keeps_numbers_as_numbers_and_text_inert()
    {
        var stream = new ResponseLikeStream();
        await WriteAsync(stream, ExportFormat.Xlsx);

        using var read = new MemoryStream(stream.Written);
        using SpreadsheetDocument document = SpreadsheetDocument.Open(read, false);
        WorkbookPart workbook = document.WorkbookPart!;
        Assert.Equal("公示名单", workbook.Workbook.Sheets!.Elements<Sheet>().Single().Name!.Value);
        Row[] rows = [.. workbook.WorksheetParts.Single().Worksheet.Descendants<Row>()];
        Assert.Equal(3, rows.Length);
        Assert.Empty(workbook.WorksheetParts.Single().Worksheet.Descendants<CellFormula>());
        Assert.Equal(Columns.Select(c => c.Header), rows[0].Elements<Cell>().Select(c => Text(c, workbook)));
        Cell[] first = [.. rows[1].Elements<Cell>()];
        Assert.Equal("'=HYPERLINK(\"http://evil.example\",\"点我\")", Text(first[1], workbook));
        Assert.Equal(("1", "96.5", "0.96"), (first[2].CellValue!.Text, first[3].CellValue!.Text, first[4].CellValue!.Text));
        Assert.All(first[2..], c => Assert.True(c.DataType is null || c.DataType.Value == CellValues.Number, "a number cell"));
        Cell[] second = [.. rows[2].Elements<Cell>()];
        Assert.Equal("-0.5", second.Single(c => c.CellValue?.Text == "-0.5").CellValue!.Text);
    }

    [Fact]
    public async Task A_csv_begins_with_a_byte_order_mark_and_ends_each_record_with_crlf()
    {
        var stream = new ResponseLikeStream();
        await WriteAsync(stream, ExportFormat.Csv);

        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, stream.Written[..3]);
        string text = new UTF8Encoding(false, true).GetString(stream.Written[3..]);
        Assert.Equal(
            "支部编号,党支部名称,排名,得分,民族团结进步得分率\r\n" +
            "c.t.b1,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"点我\"\")\",1,96.5,0.96\r\n" +
            "c.t.b2,第1嘎查党支部,2,,-0.5\r\n", text);
    }

    static async Task WriteAsync(Stream stream, ExportFormat format)
    {
        var table = new ExportTable(format, "公示名单", "测试公示名单", "t-notice", Columns, AsAsync(Rows));
        await using IExportWriter writer = await ExportWriters.StartAsync(stream, table, CancellationToken.None);
        await foreach (ExportValue[] row in table.Rows) await writer.WriteRowAsync(row, CancellationToken.None);
        await writer.FinishAsync(CancellationToken.None);
    }

    static async IAsyncEnumerable<ExportValue[]> AsAsync(IEnumerable<ExportValue[]> rows)
    {
        foreach (ExportValue[] row in rows)
        {
            await Task.Yield();
            yield return row;
        }
    }

    static string Text(Cell cell, WorkbookPart workbook) => cell.DataType?.Value == CellValues.SharedString
        ? workbook.SharedStringTablePart!.SharedStringTable.Elements<SharedStringItem>()
            .ElementAt(int.Parse(cell.CellValue!.Text, CultureInfo.InvariantCulture)).InnerText
        : cell.DataType?.Value == CellValues.InlineString ? cell.InlineString!.InnerText : cell.CellValue?.Text ?? "";

    /// <summary>Forward only and asynchronous only, as Kestrel's response body is (AllowSynchronousIO off).</summary>
    sealed class ResponseLikeStream : Stream
    {
        readonly MemoryStream written = new();

        public byte[] Written => written.ToArray();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => throw new InvalidOperationException("Synchronous operations are disallowed.");
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) =>
            throw new InvalidOperationException("Synchronous operations are disallowed.");

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            written.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
