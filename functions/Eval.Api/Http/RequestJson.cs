using System.Text;
using Eval.Application;
using Microsoft.AspNetCore.Http;

namespace Eval.Api.Http;

/// <summary>
/// Reads a request body as JSON text within a size limit (a command then validates and binds it: CommandBody).
/// Every failure is a problem; nothing is half-read.
/// </summary>
public static class RequestJson
{
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>The body as UTF-8 JSON text within <see cref="MaxBodyBytes"/>; "{}" for an optional body left empty.</summary>
    public static async Task<Result<string>> ReadBodyAsync(HttpRequest request, bool optional = false)
    {
        if (request.ContentLength > MaxBodyBytes) return TooLarge;
        bool empty = request.ContentLength == 0;
        if (!empty && !IsJson(request.ContentType))
        {
            if (request.ContentType is null && optional && request.ContentLength is null) empty = true;
            else return Problem.UnsupportedMediaType("The body must be application/json.");
        }
        if (empty) return optional ? "{}" : Problem.BadRequest("A JSON body is required.");

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return TooLarge;
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0) return optional ? "{}" : Problem.BadRequest("A JSON body is required.");
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            return Problem.BadRequest("The body is not valid UTF-8.");
        }
    }

    static Problem TooLarge => Problem.TooLarge($"At most {MaxBodyBytes} bytes are accepted.");

    static bool IsJson(string? contentType) => contentType is not null &&
        (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ||
         contentType.StartsWith("application/problem+json", StringComparison.OrdinalIgnoreCase));
}
