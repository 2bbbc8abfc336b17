using Eval.Api.Auth;
using Eval.Api.Http;
using Eval.Application;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Eval.LocalHost;

/// <summary>
/// The local development sign-in: the web app's sign-in page picks a role and a unit and gets a token for them here,
/// signed with the local key as `./eval token` signs it. Only the local host maps it, and only while it takes development
/// tokens (no Auth__MetadataAddress); the Functions app never has it, and the API description leaves it out.
/// </summary>
public static class DevSignIn
{
    public const string Route = "/api/dev/token";

    /// <summary>A signed-in session lasts a working day.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    /// <summary>Without a name, the session is called after its unit and role, as people there would say it (红山区组织部).</summary>
    static readonly Dictionary<string, string> Titles = new(StringComparer.Ordinal)
    {
        [Roles.BranchSecretary] = "书记", [Roles.TownshipReviewer] = "审核人", [Roles.CountyScorer] = "评分人",
        [Roles.OrgDepartment] = "组织部", [Roles.Member] = "党员",
    };

    public sealed record TokenRequest(string? Role, string? Unit, string? Name);

    public sealed record TokenResponse(string Token, DateTimeOffset ExpiresAt, string Role, string Unit, string UnitName, string Name);

    public static IEndpointRouteBuilder MapDevSignIn(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, IssueAsync).ExcludeFromDescription();
        return app;
    }

    static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueAsync(
        TokenRequest? body, AuthOptions options, UnitStore units, TimeProvider clock, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(options.MetadataAddress) || string.IsNullOrEmpty(options.SigningKey))
            return Problems.NotFound("The development sign-in exists only while the local host takes development tokens.");
        if (body is null) return Problems.BadRequest("A JSON body with role and unit is required.");

        var errors = new List<FieldError>();
        if (body.Role is null || !Roles.IsKnown(body.Role))
            errors.Add(new FieldError("/role", $"One of: {string.Join(", ", Roles.All)}."));
        if (body.Name is { } n && (n.Length > 40 || !CleanText.IsClean(n, TextField.SingleLine)))
            errors.Add(new FieldError("/name", "At most 40 characters, without control or bidirectional characters."));
        Unit? unit = body.Unit is { } id && UnitPath.IsValid(id) ? await units.GetAsync(id, ct) : null;
        if (unit is null) errors.Add(new FieldError("/unit", "A unit that exists (load the demo data with ./eval up)."));
        if (errors.Count > 0) return Problem.Validation(errors).ToResult();

        string role = body.Role!;
        string name = string.IsNullOrWhiteSpace(body.Name) ? unit!.Name + Titles[role] : body.Name.Trim();
        DateTimeOffset now = clock.GetUtcNow();
        string token = DevTokens.Create(options, $"{role}@{unit!.Id}", name, [role], unit.Id, Lifetime, now);
        return TypedResults.Ok(new TokenResponse(token, now + Lifetime, role, unit.Id, unit.Name, name));
    }
}
