using System.Diagnostics.CodeAnalysis;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;

namespace Eval.Application;

/// <summary>What kind of refusal a problem is; the API gives each its status code.</summary>
public enum ProblemKind { BadRequest, Unauthorized, Forbidden, NotFound, Conflict, TooLarge, UnsupportedMediaType, Invalid, Unavailable }

/// <summary>
/// Why a command was refused, as an RFC 9457 problem says it: a type (the last segment of its URI), a title, a detail and
/// extension members. Refused commands change nothing.
/// </summary>
public sealed record Problem(ProblemKind Kind, string Type, string Title, string? Detail = null,
    IReadOnlyDictionary<string, object?>? Extensions = null)
{
    public static Problem BadRequest(string detail) => new(ProblemKind.BadRequest, "bad-request", "The request is malformed.", detail);

    /// <summary>No caller: no valid token (the detail says why, without echoing the token).</summary>
    public static Problem Unauthorized(string detail) =>
        new(ProblemKind.Unauthorized, "unauthorized", "Authentication is required.", detail);

    public static Problem Forbidden(string detail) => new(ProblemKind.Forbidden, "forbidden", "Not allowed for this role or unit.", detail);

    public static Problem NotFound(string detail) => new(ProblemKind.NotFound, "not-found", "No such resource.", detail);

    public static Problem Conflict(string detail) =>
        new(ProblemKind.Conflict, "conflict", "The request does not fit the current state.", detail);

    public static Problem Conflict(StepRefusal refusal) => refusal.Type == "conflict"
        ? Conflict(refusal.Detail)
        : new(ProblemKind.Conflict, refusal.Type, refusal.Title ?? refusal.Type, refusal.Detail, refusal.Extensions);

    public static Problem UnsupportedMediaType(string title) => new(ProblemKind.UnsupportedMediaType, "unsupported-media-type", title);

    public static Problem TooLarge(string detail) => new(ProblemKind.TooLarge, "too-large", "The body is too large.", detail);

    /// <summary>Each error located by a JSON pointer into the body.</summary>
    public static Problem Validation(IEnumerable<FieldError> errors) =>
        new(ProblemKind.Invalid, "validation", "The request body is not valid.",
            Extensions: new Dictionary<string, object?> { ["errors"] = errors.ToArray() });
}

/// <summary>A command's result: its value, or the problem it was refused with.</summary>
public readonly struct Result<T> where T : class
{
    Result(T? value, Problem? problem) => (Value, Problem) = (value, problem);

    public T? Value { get; }

    public Problem? Problem { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Problem))]
    public bool Ok => Problem is null;

    public static implicit operator Result<T>(T value) => new(value, null);

    /// <summary>A value the implicit conversion cannot take (an interface type, such as a list).</summary>
    public static Result<T> Of(T value) => new(value, null);

    public static implicit operator Result<T>(Problem problem) => new(null, problem);
}

/// <summary>Steps that each need the value of the one before, such as a query that needs its authenticated caller.</summary>
public static class ResultSteps
{
    /// <summary>The next step on this result's value; this result's problem, and no next step, when it has none.</summary>
    public static async Task<Result<TNext>> ThenAsync<T, TNext>(this Task<Result<T>> first, Func<T, Task<Result<TNext>>> next)
        where T : class where TNext : class
    {
        Result<T> result = await first;
        return result.Ok ? await next(result.Value) : result.Problem;
    }
}
