using Eval.Application;
using Eval.Workflows.Schemas;
using Microsoft.AspNetCore.Http;

namespace Eval.Api.Http;

/// <summary>RFC 9457 problem+json responses with the project's type URIs: the application's problems, and HTTP's own.</summary>
public static class Problems
{
    const string TypeBase = "https://eval.example/problems/";

    public static IResult Create(
        int status, string type, string title, string? detail = null, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(detail: detail, statusCode: status, title: title, type: TypeBase + type, extensions: extensions);

    /// <summary>The response for a refused command.</summary>
    public static IResult ToResult(this Problem problem) => Create(StatusOf(problem.Kind), problem.Type, problem.Title, problem.Detail,
        problem.Extensions is null ? null : new Dictionary<string, object?>(problem.Extensions));

    public static int StatusOf(ProblemKind kind) => kind switch
    {
        ProblemKind.BadRequest => StatusCodes.Status400BadRequest,
        ProblemKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ProblemKind.Forbidden => StatusCodes.Status403Forbidden,
        ProblemKind.NotFound => StatusCodes.Status404NotFound,
        ProblemKind.Conflict => StatusCodes.Status409Conflict,
        ProblemKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ProblemKind.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        ProblemKind.Invalid => StatusCodes.Status422UnprocessableEntity,
        ProblemKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static IResult BadRequest(string detail) => Problem.BadRequest(detail).ToResult();

    public static IResult Forbidden(string detail) => Problem.Forbidden(detail).ToResult();

    public static IResult NotFound(string detail) => Problem.NotFound(detail).ToResult();

    public static IResult Conflict(string detail) => Problem.Conflict(detail).ToResult();

    public static IResult TooLarge(int maxBytes) => Problem.TooLarge($"At most {maxBytes} bytes are accepted.").ToResult();

    public static IResult UnsupportedMediaType() => Problem.UnsupportedMediaType("The body must be application/json.").ToResult();

    /// <summary>422 with each error located by a JSON pointer into the request body.</summary>
    public static IResult Validation(IEnumerable<FieldError> errors) => Problem.Validation(errors).ToResult();

    public static IResult Unavailable(string detail, IDictionary<string, object?>? extensions = null) =>
        Create(StatusCodes.Status503ServiceUnavailable, "unavailable", "A dependency is unavailable.", detail, extensions);
}
