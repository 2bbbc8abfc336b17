using System.Text.Json;

namespace Eval.Workflows.Storage;

/// <summary>The one JSON shape used for values kept in table properties and sent over HTTP (camelCase).</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T? Read<T>(string? json) => json is null ? default : JsonSerializer.Deserialize<T>(json, Options);
}
