using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Eval.Workflows.Storage;

/// <summary>The one JSON shape used for values kept in table properties (camelCase).</summary>
public static class Json
{
    /// <summary>
    /// Chinese text is kept as itself, not as \uXXXX escapes: a summary in Chinese then takes one character a character
    /// instead of six, against the table's 64 KiB per property and 1 MiB per row. Characters outside the Basic
    /// Multilingual Plane are still escaped, so a stored string holds no surrogate pair.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T? Read<T>(string? json) => json is null ? default : JsonSerializer.Deserialize<T>(json, Options);
}
