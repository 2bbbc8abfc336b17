using System.Net.Http.Json;
using System.Text.Json;

namespace Eval.Web.Services;

/// <summary>One field's error, located by a JSON pointer into the body that was sent.</summary>
public sealed record FieldProblem(string Pointer, string Detail);

/// <summary>
/// Why the API refused a request, read from its RFC 9457 problem+json; a response that is not one (a proxy's page, no
/// answer at all) still becomes a problem with its status, so the page can say what happened in words.
/// </summary>
public sealed record ApiProblem(int Status, string? Type, string? Title, string? Detail, IReadOnlyList<FieldProblem> Errors)
{
    /// <summary>No answer: the network or the API is down.</summary>
    public const int Unreachable = 0;

    public string? ErrorAt(string pointer) => Errors.FirstOrDefault(e => e.Pointer == pointer)?.Detail;

    public static async Task<ApiProblem> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        int status = (int)response.StatusCode;
        if (response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json")
        {
            try
            {
                var body = await response.Content.ReadFromJsonAsync<Body>(ct);
                if (body is not null)
                    return new ApiProblem(status, body.Type, body.Title, body.Detail,
                        body.Errors?.Select(e => new FieldProblem(e.Pointer ?? "", e.Detail ?? "")).ToArray() ?? []);
            }
            catch (JsonException) { }
        }
        return new ApiProblem(status, null, response.ReasonPhrase, null, []);
    }

    sealed record Body(string? Type, string? Title, string? Detail, ErrorBody[]? Errors);

    sealed record ErrorBody(string? Pointer, string? Detail);
}

/// <summary>A refused or failed API call; pages show <see cref="Problem"/> in words (<c>ProblemAlert</c>).</summary>
public sealed class ApiException(ApiProblem problem) : Exception(problem.Title ?? $"HTTP {problem.Status}")
{
    public ApiProblem Problem { get; } = problem;
}
