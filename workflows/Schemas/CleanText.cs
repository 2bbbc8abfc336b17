using System.Globalization;

namespace Eval.Workflows.Schemas;

/// <summary>Whether a text field holds one line (titles, names, ids) or may hold several (summaries, comments).</summary>
public enum TextField
{
    SingleLine,
    MultiLine,
}

/// <summary>
/// The one rule for text a caller gives us, which is stored, shown to others and written into the history: no
/// control characters, nothing that reorders the text around it, nothing that is not a character. Refused are the C0 controls
/// (tab, CR and LF only in multi-line fields), DEL, the C1 controls, the bidirectional controls, U+FEFF, the
/// noncharacters and lone surrogates; a single-line field refuses line breaks (CR, LF, U+2028, U+2029).
/// Every other character, of any script, emoji included, is clean.
/// </summary>
public static class CleanText
{
    /// <summary>
    /// The schema keyword that marks a string as multi-line ("x-multiline": true); a string without it is single-line.
    /// An OpenAPI extension keyword, so it passes through the API description as it is.
    /// </summary>
    public const string MultiLineKeyword = "x-multiline";

    public static bool IsClean(string text, TextField field) => Problem(text, field) is null;

    /// <summary>Why <paramref name="text"/> is not clean text for the field, in a few words, or null when it is.</summary>
    public static string? Problem(string text, TextField field)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            int codePoint = c;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                codePoint = char.ConvertToUtf32(c, text[++i]);
            else if (char.IsSurrogate(c))
                return "contains a lone surrogate " + Name(c);

            if (Problem(codePoint, field) is { } problem) return problem;
        }
        return null;
    }

    static string? Problem(int codePoint, TextField field) => codePoint switch
    {
        '\n' or '\r' or 0x2028 or 0x2029 => field == TextField.MultiLine ? null : "contains a line break",
        '\t' => field == TextField.MultiLine ? null : "contains a tab",
        < 0x20 or (>= 0x7F and <= 0x9F) => "contains a control character " + Name(codePoint),
        0x061C or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069) =>
            "contains a bidirectional control " + Name(codePoint),
        0xFEFF => "contains a byte order mark U+FEFF",
        >= 0xFDD0 and <= 0xFDEF => "contains a noncharacter " + Name(codePoint),
        // The last two code points of every plane: U+FFFE, U+FFFF, U+1FFFE, ... U+10FFFF.
        _ when (codePoint & 0xFFFE) == 0xFFFE => "contains a noncharacter " + Name(codePoint),
        _ => null,
    };

    static string Name(int codePoint) => "U+" + codePoint.ToString("X4", CultureInfo.InvariantCulture);
}
