using Eval.Application;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Eval.Api.Http;

/// <summary>RFC 9457 problem+json responses with the project's type URIs: the application's problems, and HTTP's own.</summary>
public static class Problems
{
    const string TypeBase = "https://eval.example/problems/";

    public static ProblemHttpResult Create(
        int status, string type, string title, string? detail = null, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: TypeBase + type, extensions: extensions);

    /// <summary>The response for a refused command or query.</summary>
    public static ProblemHttpResult ToResult(this Problem problem) => Create(StatusOf(problem.Kind), problem.Type, problem.Title,
        problem.Detail, problem.Extensions is null ? null : new Dictionary<string, object?>(problem.Extensions));

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

    public static ProblemHttpResult BadRequest(string detail) => Problem.BadRequest(detail).ToResult();

    public static ProblemHttpResult NotFound(string detail) => Problem.NotFound(detail).ToResult();

    public static ProblemHttpResult Conflict(string detail) => Problem.Conflict(detail).ToResult();

    public static ProblemHttpResult TooLarge(long maxBytes) => Problem.TooLarge($"At most {maxBytes} bytes are accepted.").ToResult();

    public static ProblemHttpResult UnsupportedMediaType() => Problem.UnsupportedMediaType("The body must be application/json.").ToResult();

    public static ProblemHttpResult Unavailable(string detail, IDictionary<string, object?>? extensions = null) =>
        Create(StatusCodes.Status503ServiceUnavailable, "unavailable", "A dependency is unavailable.", detail, extensions);

    /// <summary>A query's answer: 200 with its value, or its problem.</summary>
    public static Results<Ok<T>, ProblemHttpResult> ToOk<T>(this Result<T> result) where T : class =>
        result.Ok ? TypedResults.Ok(result.Value) : result.Problem.ToResult();
}
