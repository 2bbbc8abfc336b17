using Eval.Application;
using Eval.Workflows.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Eval.Api.Auth;

/// <summary>
/// The first step of every non-anonymous handler: a caller with at least one role this API knows, or the problem to
/// answer with (401 without a valid token, with its WWW-Authenticate challenge; 403 without a known role). Which role
/// and scope an endpoint needs is the application's to check (403), with <see cref="Caller.CanActOn"/> and
/// <see cref="Caller.WorksOn"/>.
/// </summary>
public sealed class Authenticator(TokenValidator validator)
{
    const string CallerItem = "Eval.Auth.Caller";

    public async Task<Result<Caller>> AuthenticateAsync(HttpRequest request)
    {
        // A request is validated once (the Idempotency-Key layer and the handler both ask).
        if (request.HttpContext.Items[CallerItem] is Caller known) return known;
        string authorization = request.Headers.Authorization.ToString();
        AuthResult result = await validator.ValidateAsync(authorization, request.HttpContext.RequestAborted);
        if (result.Succeeded)
        {
            // Roles match exactly (as Entra ID app roles do); one the API does not know grants nothing.
            Caller caller = result.Caller with { Roles = [.. result.Caller.Roles.Where(Roles.IsKnown)] };
            if (caller.Roles.Count == 0)
                return Problem.Forbidden($"The token carries no role of this API ({string.Join(", ", Roles.All)}; spelled exactly).");
            request.HttpContext.Items[CallerItem] = caller;
            return caller;
        }

        // RFC 6750: an error code only when a token was sent; a bare challenge when the client sent none. The header goes
        // on the response now: the 401 is answered from the problem, and a problem carries no headers.
        request.HttpContext.Response.Headers[HeaderNames.WWWAuthenticate] =
            result.TokenPresented ? "Bearer error=\"invalid_token\"" : "Bearer";
        return Problem.Unauthorized(result.FailureReason);
    }
}
