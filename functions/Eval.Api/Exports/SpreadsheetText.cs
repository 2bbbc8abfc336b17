namespace Eval.Api.Exports;

/// <summary>
/// Text cells made inert against formula injection (OWASP, "CSV Injection"): a spreadsheet program reads a cell that begins
/// with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return as a formula, so a branch named
/// <c>=HYPERLINK(…)</c> could run when the file is opened. Such a cell gets a single quote in front, which shows the text as
/// it is. Every text cell of every export, XLSX and CSV alike, goes through <see cref="Neutralise"/>; numbers are written
/// as numbers and never pass here.
/// </summary>
public static class SpreadsheetText
{
    /// <summary>The characters that make a spreadsheet read a cell as a formula when it begins with one.</summary>
    public static readonly IReadOnlyList<char> FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    public static string Neutralise(string text) =>
        text.Length > 0 && FormulaStarts.Contains(text[0]) ? "'" + text : text;
}
