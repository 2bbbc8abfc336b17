using System.Text;
using System.Text.Json;
using Eval.Workflows.Schemas;
using Microsoft.AspNetCore.Http;
using NJsonSchema;

namespace Eval.Api.Http;

/// <summary>
/// Reads a request body as JSON text within a size limit, validates it against a JSON Schema (the same schema
/// the API publishes), and only then binds it. Every failure is a problem response; nothing is half-read.
/// </summary>
public static class RequestJson
{
    public const int MaxBodyBytes = 256 * 1024;

    public static async Task<(string? Text, IResult? Problem)> ReadTextAsync(HttpRequest request, bool optional = false)
    {
        if (request.ContentLength > MaxBodyBytes) return (null, Problems.TooLarge(MaxBodyBytes));
        bool empty = request.ContentLength == 0;
        if (!empty && !IsJson(request.ContentType))
        {
            if (request.ContentType is null && optional && request.ContentLength is null) empty = true;
            else return (null, Problems.UnsupportedMediaType());
        }
        if (empty) return optional ? ("{}", null) : (null, Problems.BadRequest("A JSON body is required."));

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return (null, Problems.TooLarge(MaxBodyBytes));
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0) return optional ? ("{}", null) : (null, Problems.BadRequest("A JSON body is required."));
        try
        {
            return (new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length), null);
        }
        catch (DecoderFallbackException)
        {
            return (null, Problems.BadRequest("The body is not valid UTF-8."));
        }
    }

    /// <summary>Reads, validates against <paramref name="schema"/>, then binds to <typeparamref name="T"/>.</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, JsonSchema schema, bool optional = false) where T : class
    {
        var (text, problem) = await ReadTextAsync(request, optional);
        if (problem is not null) return (null, problem);
        IReadOnlyList<FieldError> errors = JsonValidator.Validate(schema, text!);
        if (errors.Count > 0) return (null, Problems.Validation(errors));
        try
        {
            T? value = JsonSerializer.Deserialize<T>(text!, JsonBody.Options);
            return value is null ? (null, Problems.Validation([new FieldError("", "must be a JSON object")])) : (value, null);
        }
        catch (JsonException e)
        {
            // The schema accepted it but the shape does not bind (for example a number too large for its type).
            return (null, Problems.Validation([new FieldError(JsonBody.PointerOf(e), "does not fit the expected type")]));
        }
    }

    static bool IsJson(string? contentType) => contentType is not null &&
        (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ||
         contentType.StartsWith("application/problem+json", StringComparison.OrdinalIgnoreCase));
}
