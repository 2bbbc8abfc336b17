using Eval.Workflows.Schemas;
using Microsoft.AspNetCore.Http;

namespace Eval.Api.Http;

/// <summary>RFC 9457 problem+json responses with the project's type URIs.</summary>
public static class Problems
{
    const string TypeBase = "https://eval.example/problems/";

    public static IResult Create(int status, string type, string title, string? detail = null, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(detail: detail, statusCode: status, title: title, type: TypeBase + type, extensions: extensions);

    public static IResult BadRequest(string detail) => Create(StatusCodes.Status400BadRequest, "bad-request", "The request is malformed.", detail);

    public static IResult Forbidden(string detail) => Create(StatusCodes.Status403Forbidden, "forbidden", "Not allowed for this role or unit.", detail);

    public static IResult NotFound(string detail) => Create(StatusCodes.Status404NotFound, "not-found", "No such resource.", detail);

    public static IResult Conflict(string detail) => Create(StatusCodes.Status409Conflict, "conflict", "The request does not fit the current state.", detail);

    public static IResult TooLarge(int maxBytes) =>
        Create(StatusCodes.Status413PayloadTooLarge, "too-large", "The body is too large.", $"At most {maxBytes} bytes are accepted.");

    public static IResult UnsupportedMediaType() =>
        Create(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "The body must be application/json.");

    /// <summary>422 with each error located by a JSON pointer into the request body.</summary>
    public static IResult Validation(IEnumerable<FieldError> errors) =>
        Create(StatusCodes.Status422UnprocessableEntity, "validation", "The request body is not valid.",
            extensions: new Dictionary<string, object?> { ["errors"] = errors.ToArray() });

    public static IResult Unavailable(string detail, IDictionary<string, object?>? extensions = null) =>
        Create(StatusCodes.Status503ServiceUnavailable, "unavailable", "A dependency is unavailable.", detail, extensions);
}
