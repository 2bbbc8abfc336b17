using System.Text.Json;
using Eval.Application;
using Eval.Workflows.Schemas;
using Microsoft.AspNetCore.Http;

namespace Eval.Api.Http;

/// <summary>
/// Binds a JSON body that has no published schema (the self-test's), with the same limits as every other body:
/// size, content type and UTF-8 through <see cref="RequestJson"/>, the text rule (every string single-line,
/// <see cref="CleanText"/>), unknown properties refused.
/// </summary>
public static class JsonBody
{
    public static JsonSerializerOptions Options => CommandBody.Options;

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, T? whenEmpty = default) where T : class
    {
        var (text, problem) = await RequestJson.ReadTextAsync(request, optional: whenEmpty is not null);
        if (problem is not null) return (null, problem);
        IReadOnlyList<FieldError> unclean = JsonValidator.ValidateText(text!);
        if (unclean.Count > 0) return (null, Problems.Validation(unclean));
        try
        {
            T? value = JsonSerializer.Deserialize<T>(text!, Options);
            return value is null ? (null, Problems.Validation([new FieldError(JsonPointer.Root, "must be a JSON object")])) : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, Problems.Validation(
                [new FieldError(PointerOf(ex), "malformed, or not the expected shape: " + ex.Message.Split(" Path:")[0])]));
        }
    }

    /// <summary>The JSON pointer of a System.Text.Json error path ("$.a.b[2]" → "/a/b/2", "$" → "").</summary>
    public static string PointerOf(JsonException e) => CommandBody.PointerOf(e);
}
