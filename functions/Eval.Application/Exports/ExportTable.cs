namespace Eval.Application.Exports;

/// <summary>The file formats of an export: an Excel workbook, or comma-separated values (RFC 4180, UTF-8 with a BOM).</summary>
public enum ExportFormat { Xlsx, Csv }

/// <summary>
/// What a column holds, and so how a spreadsheet shows it: text, a whole number, a score (2 decimals), a share (a percentage).
/// </summary>
public enum ExportKind { Text, Integer, Score, Share }

/// <summary>A column: its header (Chinese, as the people who open the file read it), its kind and its width in characters.</summary>
public sealed record ExportColumn(string Header, ExportKind Kind, double Width = 12);

/// <summary>One cell: text (<see cref="Text"/>) or a number (<see cref="Number"/>), or empty when neither is set.</summary>
public readonly record struct ExportValue(string? Text, decimal? Number)
{
    public static ExportValue Of(string? text) => new(text, null);

    public static ExportValue Of(decimal? number) => new(null, number);

    public static ExportValue Of(int number) => new(null, number);
}

/// <summary>
/// An export ready to write: the format, the sheet's name, the file's name (Chinese, without extension) and an ASCII one
/// for clients that cannot read the other, the columns, and the rows, read from storage a page at a time as they are
/// enumerated (the writer streams them to the response; nothing holds the whole file).
/// </summary>
public sealed record ExportTable(ExportFormat Format, string SheetName, string FileName, string AsciiFileName,
    IReadOnlyList<ExportColumn> Columns, IAsyncEnumerable<ExportValue[]> Rows)
{
    public string Extension => Format == ExportFormat.Xlsx ? ".xlsx" : ".csv";
}
