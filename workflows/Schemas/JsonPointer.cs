using System.Globalization;

namespace Eval.Workflows.Schemas;

/// <summary>
/// JSON pointers (RFC 6901) as <see cref="FieldError"/> carries them: "" is the whole body, "/levels/1/minScore" a
/// value inside it. Segments escape '~' as "~0" and '/' as "~1".
/// </summary>
public static class JsonPointer
{
    public const string Root = "";

    public static string Append(string pointer, string propertyName) =>
        pointer + "/" + propertyName.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public static string Append(string pointer, int index) => pointer + "/" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>Document order, roughly: segment by segment, array indexes by number, so /levels/2 comes before /levels/10.</summary>
    public static IComparer<string> Order { get; } = Comparer<string>.Create(Compare);

    static int Compare(string? left, string? right)
    {
        if (ReferenceEquals(left, right)) return 0;
        if (left is null) return -1;
        if (right is null) return 1;

        string[] a = left.Split('/'), b = right.Split('/');
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            int order = IsIndex(a[i]) && IsIndex(b[i])
                ? a[i].Length != b[i].Length ? a[i].Length.CompareTo(b[i].Length) : string.CompareOrdinal(a[i], b[i])
                : string.CompareOrdinal(a[i], b[i]);
            if (order != 0) return order;
        }
        return a.Length.CompareTo(b.Length);
    }

    // An array index as RFC 6901 writes it: digits without a leading zero.
    static bool IsIndex(string segment) =>
        segment.Length > 0 && segment.All(char.IsAsciiDigit) && (segment.Length == 1 || segment[0] != '0');
}
