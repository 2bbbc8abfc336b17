using System.Text;
using Eval.Workflows.Schemas;

namespace Eval.UnitTests.Schemas;

/// <summary>
/// The text rule on its own. Characters are given as code points (and lone surrogates as code units) rather than as
/// string literals in attributes, where a lone surrogate would not survive compilation.
/// </summary>
public class CleanTextTests
{
    static readonly TextField[] BothFields = [TextField.SingleLine, TextField.MultiLine];

    /// <summary>The code point in the middle of ordinary text, so that its position does not matter.</summary>
    static string Around(int codePoint) => "党支部" + char.ConvertFromUtf32(codePoint) + "评定";

    static string Hex(int codePoint) => "U+" + codePoint.ToString("X4");

    [Theory]
    [InlineData("")]
    [InlineData("红山区2026年度最强党支部评定")]
    [InlineData("ᠬᠣᠩᠰᠠᠨ ᠲᠣᠭᠣᠷᠢᠭ")] // Mongolian script
    [InlineData("\u1820\u180B\u182E\u180E\u1820\u202F\u182A\u1820")] // with a free variation selector, a vowel separator, U+202F
    [InlineData("Улаанхад")] // Mongolian in Cyrillic
    [InlineData("مرحبا بالعالم")] // right-to-left script without bidirectional controls
    [InlineData("\U0001F44D\U0001F3FD \U0001F1E8\U0001F1F3 \U0001F468\u200D\U0001F469\u200D\U0001F467")] // skin tone, flag, joiners
    [InlineData("𠀀𪚥")] // CJK ideographs beyond the Basic Multilingual Plane
    [InlineData("a\u00A0b\u200Bc\uFFFDd\uE000")] // no-break and zero width space, the replacement character, private use
    [InlineData("Café ½ — “quoted” ™ €5")]
    public void Text_of_any_script_is_clean_in_both_kinds_of_field(string text)
    {
        Assert.All(BothFields, field => Assert.Null(CleanText.Problem(text, field)));
    }

    [Theory]
    [InlineData(0x0000)]
    [InlineData(0x0001)]
    [InlineData(0x0008)]
    [InlineData(0x000B)]
    [InlineData(0x000C)]
    [InlineData(0x001B)]
    [InlineData(0x001F)]
    [InlineData(0x007F)]
    [InlineData(0x0080)]
    [InlineData(0x0085)]
    [InlineData(0x009B)]
    [InlineData(0x009F)]
    public void A_control_character_is_refused_in_both_kinds_of_field(int codePoint)
    {
        Assert.All(BothFields, field =>
            Assert.Equal("contains a control character " + Hex(codePoint), CleanText.Problem(Around(codePoint), field)));
    }

    [Fact]
    public void An_ANSI_escape_sequence_is_refused_at_its_escape()
    {
        Assert.Equal("contains a control character U+001B", CleanText.Problem("\u001b[31mred\u001b[0m", TextField.MultiLine));
    }

    [Theory]
    [InlineData("a\nb", "contains a line break")]
    [InlineData("a\rb", "contains a line break")]
    [InlineData("a\r\nb", "contains a line break")]
    [InlineData("a\u2028b", "contains a line break")]
    [InlineData("a\u2029b", "contains a line break")]
    [InlineData("a\tb", "contains a tab")]
    [InlineData("title\n", "contains a line break")]
    public void Line_breaks_and_tabs_are_refused_in_a_single_line_field_and_kept_in_a_multi_line_one(string text, string problem)
    {
        Assert.Equal(problem, CleanText.Problem(text, TextField.SingleLine));
        Assert.Null(CleanText.Problem(text, TextField.MultiLine));
    }

    [Theory]
    [InlineData(0x061C)]
    [InlineData(0x200E)]
    [InlineData(0x200F)]
    [InlineData(0x202A)]
    [InlineData(0x202B)]
    [InlineData(0x202C)]
    [InlineData(0x202D)]
    [InlineData(0x202E)]
    [InlineData(0x2066)]
    [InlineData(0x2067)]
    [InlineData(0x2068)]
    [InlineData(0x2069)]
    public void A_bidirectional_control_is_refused_in_both_kinds_of_field(int codePoint)
    {
        Assert.All(BothFields, field =>
            Assert.Equal("contains a bidirectional control " + Hex(codePoint), CleanText.Problem(Around(codePoint), field)));
    }

    [Fact]
    public void A_byte_order_mark_is_refused_at_the_start_and_inside()
    {
        Assert.Equal("contains a byte order mark U+FEFF", CleanText.Problem("\uFEFF红山区", TextField.SingleLine));
        Assert.Equal("contains a byte order mark U+FEFF", CleanText.Problem(Around(0xFEFF), TextField.MultiLine));
    }

    [Theory]
    [InlineData(0xFDD0)]
    [InlineData(0xFDE7)]
    [InlineData(0xFDEF)]
    [InlineData(0xFFFE)]
    [InlineData(0xFFFF)]
    [InlineData(0x1FFFE)]
    [InlineData(0x1FFFF)]
    [InlineData(0x2FFFE)]
    [InlineData(0xEFFFF)]
    [InlineData(0x10FFFE)]
    [InlineData(0x10FFFF)]
    public void A_noncharacter_is_refused_in_any_plane(int codePoint)
    {
        Assert.All(BothFields, field =>
            Assert.Equal("contains a noncharacter " + Hex(codePoint), CleanText.Problem(Around(codePoint), field)));
    }

    [Theory]
    [InlineData(0xFDCF)]
    [InlineData(0xFDF0)]
    [InlineData(0xFFFD)]
    [InlineData(0x10000)]
    [InlineData(0x1FFFD)]
    [InlineData(0x1F600)]
    [InlineData(0x10FFFD)]
    [InlineData(0x200D)]
    [InlineData(0x206A)]
    public void The_neighbours_of_refused_characters_are_clean(int codePoint)
    {
        Assert.All(BothFields, field => Assert.Null(CleanText.Problem(Around(codePoint), field)));
    }

    [Theory]
    [InlineData(new[] { 0xD800 }, 0xD800)]
    [InlineData(new[] { 0xDC00 }, 0xDC00)]
    [InlineData(new[] { 'a', 0xD83D, 'b' }, 0xD83D)]
    [InlineData(new[] { 'a', 0xD83D }, 0xD83D)] // a high surrogate at the end
    [InlineData(new[] { 0xDE00, 0xD83D }, 0xDE00)] // a pair in the wrong order
    [InlineData(new[] { 0xD83D, 0xD83D, 0xDE00 }, 0xD83D)] // two highs, then one low: the first high is alone
    public void A_lone_surrogate_is_refused_in_both_kinds_of_field(int[] units, int lone)
    {
        string text = new(units.Select(u => (char)u).ToArray());

        Assert.All(BothFields, field => Assert.Equal("contains a lone surrogate " + Hex(lone), CleanText.Problem(text, field)));
    }

    [Fact]
    public void A_surrogate_pair_is_one_clean_character()
    {
        string text = new StringBuilder().Append('\uD83D').Append('\uDE00').ToString();

        Assert.True(CleanText.IsClean(text, TextField.SingleLine));
    }

    [Fact]
    public void The_first_problem_is_the_one_reported()
    {
        Assert.Equal("contains a line break", CleanText.Problem("a\nb\u202Ec\u0000", TextField.SingleLine));
        Assert.Equal("contains a bidirectional control U+202E", CleanText.Problem("a\nb\u202Ec\u0000", TextField.MultiLine));
    }
}
