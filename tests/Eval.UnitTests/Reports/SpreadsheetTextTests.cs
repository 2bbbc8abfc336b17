using Eval.Api.Exports;

namespace Eval.UnitTests.Reports;

/// <summary>The one function every text cell of every export goes through (OWASP, "CSV Injection").</summary>
public sealed class SpreadsheetTextTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example\",\"点我\")")]
    [InlineData("+1")]
    [InlineData("-2+3")]
    [InlineData("@SUM(1,2)")]
    [InlineData("\t=1+1")]
    [InlineData("\r=1+1")]
    [InlineData("=")]
    public void Text_that_a_spreadsheet_would_read_as_a_formula_gets_a_quote_in_front(string text) =>
        Assert.Equal("'" + text, SpreadsheetText.Neutralise(text));

    [Theory]
    [InlineData("")]
    [InlineData("第1苏木第1嘎查党支部")]
    [InlineData("chifeng.hongshan.t01.b001")]
    [InlineData("a=1")]
    [InlineData(" =1")]
    [InlineData("'=1")]
    [InlineData("\n=1")]
    [InlineData("＝1")]
    public void Other_text_is_left_as_it_is(string text) => Assert.Equal(text, SpreadsheetText.Neutralise(text));

    [Fact]
    public void The_characters_are_the_ones_OWASP_lists() =>
        Assert.Equal(new[] { '=', '+', '-', '@', '\t', '\r' }, SpreadsheetText.FormulaStarts);
}
