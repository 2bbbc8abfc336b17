using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Eval.Workflows.Domain;

/// <summary>
/// The names evidence files are shown and downloaded under: the uploader's name without paths, control, format
/// (bidirectional) or reserved characters, and a Content-Disposition (RFC 6266) that carries it in UTF-8 (RFC 5987)
/// with an ASCII fallback. Blobs are never named after it.
/// </summary>
public static class FileNames
{
    public const int MaxLength = 120;

    const string Reserved = "<>:\"/\\|?*";

    /// <summary>The name cleaned for showing and downloading; "file" when nothing is left.</summary>
    public static string Sanitize(string fileName)
    {
        string last = fileName.Split('/', '\\')[^1];
        var clean = new StringBuilder(last.Length);
        foreach (Rune rune in last.EnumerateRunes())
        {
            UnicodeCategory category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                continue;
            if (rune.IsAscii && Reserved.Contains((char)rune.Value)) clean.Append('_');
            else if (Rune.IsWhiteSpace(rune)) clean.Append(' ');
            else clean.Append(rune.ToString());
        }
        string name = string.Join(' ', clean.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)).Trim('.', ' ');
        if (name.Length > MaxLength)
        {
            string extension = Path.GetExtension(name);
            if (extension.Length > 10) extension = "";
            name = Truncate(name[..^extension.Length], MaxLength - extension.Length) + extension;
        }
        return name.Length == 0 ? "file" : name;
    }

    /// <summary><c>attachment; filename="…"; filename*=UTF-8''…</c> for a sanitized name.</summary>
    public static string ContentDisposition(string fileName)
    {
        var header = new ContentDispositionHeaderValue("attachment")
        {
            FileName = Quoted(AsciiFallback(fileName)),
            FileNameStar = fileName,
        };
        return header.ToString();
    }

    /// <summary>The name with every character outside printable ASCII replaced, for clients that do not read filename*.</summary>
    static string AsciiFallback(string fileName)
    {
        string extension = Path.GetExtension(fileName);
        string stem = fileName[..^extension.Length];
        var ascii = new StringBuilder(stem.Length);
        foreach (char c in stem) ascii.Append(c is >= ' ' and <= '~' and not '"' and not '\\' and not '%' ? c : '_');
        string fallback = ascii.ToString().Trim('_', ' ');
        return (fallback.Length == 0 ? "evidence" : fallback) + (extension.All(char.IsAscii) ? extension : "");
    }

    static string Quoted(string value) => $"\"{value}\"";

    // Cuts at a text element boundary, so no surrogate pair or combining sequence is split.
    static string Truncate(string value, int length)
    {
        var cut = new StringBuilder();
        TextElementEnumerator elements = StringInfo.GetTextElementEnumerator(value);
        while (elements.MoveNext() && cut.Length + elements.GetTextElement().Length <= length) cut.Append(elements.GetTextElement());
        return cut.ToString();
    }
}
