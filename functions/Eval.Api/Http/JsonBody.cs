using Eval.Workflows.Schemas;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Eval.Api.Http;

/// <summary>Reads a JSON request body, turning every way it can be wrong into a problem response.</summary>
public static class JsonBody
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 32,
    };

    /// <summary>The parsed body, or the problem to answer with. An empty body gives <paramref name="whenEmpty"/>.</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, T? whenEmpty = default) where T : class
    {
        if (request.ContentLength == 0 || (request.ContentLength is null && !request.Body.CanSeek && request.ContentType is null))
            return whenEmpty is null ? (null, Problems.BadRequest("A JSON body is required.")) : (whenEmpty, null);
        if (request.ContentType is null || !request.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return (null, Problems.UnsupportedMediaType());
        try
        {
            T? value = await JsonSerializer.DeserializeAsync<T>(request.Body, Options, request.HttpContext.RequestAborted);
            return value is null ? (null, Problems.BadRequest("The body must be a JSON object.")) : (value, null);
        }
        catch (JsonException ex)
        {
            string pointer = "/" + (ex.Path ?? "$").TrimStart('$', '.').Replace('.', '/');
            return (null, Problems.Validation([new FieldError(pointer, "Malformed or unexpected JSON: " + ex.Message.Split(" Path:")[0])]));
        }
    }
}
