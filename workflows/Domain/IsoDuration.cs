using System.Globalization;
using System.Text.RegularExpressions;

namespace Eval.Workflows.Domain;

/// <summary>
/// ISO-8601 durations of fixed length: weeks, days, hours, minutes, seconds (P14D, P2W, PT36H, PT3S, P1DT12H).
/// Years and months are refused: their length depends on the calendar, and a deadline must not.
/// </summary>
public static partial class IsoDuration
{
    // [0-9], not \d: \d also matches other scripts' digits, which double.Parse then rejects with an exception.
    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex(
        @"^P(?:(?<w>[0-9]{1,4})W|(?:(?<d>[0-9]{1,5})D)?" +
        @"(?:T(?:(?<h>[0-9]{1,6})H)?(?:(?<m>[0-9]{1,7})M)?(?:(?<s>[0-9]{1,9}(?:\.[0-9]{1,3})?)S)?)?)\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (text is null || text.Length > 40) return false;
        Match m = Pattern().Match(text);
        // "P" and "PT" alone match the pattern but say nothing.
        if (!m.Success || text == "P" || text.EndsWith('T')) return false;
        double seconds =
            Number(m, "w") * 7 * 86400 + Number(m, "d") * 86400 + Number(m, "h") * 3600 + Number(m, "m") * 60 + Number(m, "s");
        if (seconds > TimeSpan.FromDays(3650).TotalSeconds) return false;
        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out TimeSpan d)
            ? d
            : throw new FormatException($"'{text}' is not an ISO-8601 duration of weeks, days, hours, minutes and seconds.");

    static double Number(Match m, string group) =>
        m.Groups[group].Success ? double.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
}
