namespace Eval.FunctionalTests.Infrastructure;

/// <summary>
/// Strings the text rule (Eval.Workflows.Schemas.CleanText) refuses in any free-text member, as JSON text the way a
/// client may send them: escapes, or the characters themselves (JSON lets any character but C0 controls stand as is).
/// </summary>
public static class UncleanText
{
    public static readonly IReadOnlyList<(string Name, string Json)> Anywhere =
    [
        ("NUL", "\"a\\u0000b\""),
        ("ANSI escape", "\"\\u001b[31mred\\u001b[0m\""),
        ("C1 control U+0085", "\"a\u0085b\""),
        ("C1 control U+009B", "\"a\\u009b2J\""),
        ("right-to-left override", "\"invoice\u202Egpj.exe\""),
        ("byte order mark", "\"\uFEFFabc\""),
        ("noncharacter U+FFFE", "\"a\uFFFEb\""),
        ("lone surrogate", "\"a\\ud800b\""),
    ];

    /// <summary>Refused in a single-line member (a title, a name), kept in a multi-line one (a comment, a summary).</summary>
    public static readonly IReadOnlyList<(string Name, string Json)> LineBreaks =
    [
        ("line break", "\"第一行\\n第二行\""),
        ("tab", "\"a\\tb\""),
    ];
}
