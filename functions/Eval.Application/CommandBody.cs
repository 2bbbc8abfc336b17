using System.Text.Json;
using Eval.Workflows.Schemas;
using NJsonSchema;

namespace Eval.Application;

/// <summary>
/// A command's body: JSON text validated against the schema the API publishes (clean text included), and only then
/// bound. A body that does not fit is a 422 with a JSON pointer per error, and nothing is half-read.
/// </summary>
public static class CommandBody
{
    /// <summary>How bodies bind: camelCase, no unknown members, a bounded depth.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 32,
    };

    /// <summary>Reads the body (the API's reader: size, media type, UTF-8), then validates and binds it.</summary>
    public static async Task<Result<T>> ReadAsync<T>(Func<Task<Result<string>>> readBody, JsonSchema schema) where T : class
    {
        Result<object> bound = await ReadAsync(typeof(T), readBody, schema);
        return bound.Ok ? (T)bound.Value : bound.Problem;
    }

    /// <inheritdoc cref="ReadAsync{T}"/>
    public static async Task<Result<object>> ReadAsync(Type type, Func<Task<Result<string>>> readBody, JsonSchema schema)
    {
        Result<string> text = await readBody();
        return text.Ok ? Bind(type, schema, text.Value) : text.Problem;
    }

    public static Result<T> Bind<T>(JsonSchema schema, string text) where T : class
    {
        Result<object> bound = Bind(typeof(T), schema, text);
        return bound.Ok ? (T)bound.Value : bound.Problem;
    }

    public static Result<object> Bind(Type type, JsonSchema schema, string text)
    {
        IReadOnlyList<FieldError> errors = JsonValidator.Validate(schema, text);
        if (errors.Count > 0) return Problem.Validation(errors);
        try
        {
            object? value = JsonSerializer.Deserialize(text, type, Options);
            return value is null ? Problem.Validation([new FieldError(JsonPointer.Root, "must be a JSON object")]) : value;
        }
        catch (JsonException e)
        {
            // The schema accepted it but the shape does not bind (for example a number too large for its type).
            return Problem.Validation([new FieldError(PointerOf(e), "does not fit the expected type")]);
        }
    }

    /// <summary>
    /// Reads a body that has no published schema (the self-test's): the text rule (every string single-line,
    /// <see cref="CleanText"/>), then the record, unknown members refused.
    /// </summary>
    public static async Task<Result<T>> ReadWithoutSchemaAsync<T>(Func<Task<Result<string>>> readBody) where T : class
    {
        Result<string> text = await readBody();
        if (!text.Ok) return text.Problem;
        IReadOnlyList<FieldError> unclean = JsonValidator.ValidateText(text.Value);
        if (unclean.Count > 0) return Problem.Validation(unclean);
        try
        {
            T? value = JsonSerializer.Deserialize<T>(text.Value, Options);
            return value is null ? Problem.Validation([new FieldError(JsonPointer.Root, "must be a JSON object")]) : value;
        }
        catch (JsonException e)
        {
            return Problem.Validation(
                [new FieldError(PointerOf(e), "malformed, or not the expected shape: " + e.Message.Split(" Path:")[0])]);
        }
    }

    /// <summary>The JSON pointer of a System.Text.Json error path ("$.a.b[2]" → "/a/b/2", "$" → "").</summary>
    public static string PointerOf(JsonException e)
    {
        string path = (e.Path ?? "$").TrimStart('$');
        return path.Length == 0 ? JsonPointer.Root : path.TrimStart('.').Split('.', '[', ']').Where(p => p.Length > 0)
            .Aggregate(JsonPointer.Root, (pointer, segment) => pointer + "/" + segment.Replace("~", "~0").Replace("/", "~1"));
    }
}
