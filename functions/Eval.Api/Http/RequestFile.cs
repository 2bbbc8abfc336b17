using Eval.Application;
using Eval.Application.Units;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Eval.Api.Http;

/// <summary>
/// Reads a request body as a file of one of the media types a route takes, within a size limit: 415 for another media
/// type (or a text type in a charset other than UTF-8), 413 over the limit, 400 when empty. Nothing is half-read.
/// </summary>
public static class RequestFile
{
    public static async Task<Result<UnitFile>> ReadAsync(HttpRequest request, IReadOnlyList<string> mediaTypes,
        long maxBytes)
    {
        string? mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out MediaTypeHeaderValue? parsed)
            ? parsed.MediaType.Value?.ToLowerInvariant() : null;
        string? charset = parsed?.Charset.Value;
        if (mediaType is null || !mediaTypes.Contains(mediaType)
            || (charset is not null && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
            return Problem.UnsupportedMediaType($"The body must be {string.Join(" or ", mediaTypes)} (text in UTF-8).");
        if (request.ContentLength > maxBytes) return TooLarge(maxBytes);

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[64 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes) return TooLarge(maxBytes);
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0) return Problem.BadRequest("A file is required.");
        return new UnitFile(buffer.ToArray(), mediaType);
    }

    static Problem TooLarge(long maxBytes) => Problem.TooLarge($"At most {maxBytes} bytes are accepted.");
}
