using Eval.Api.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Eval.Api.Auth;

/// <summary>
/// The first step of every non-anonymous handler: a caller, or the 401 problem to return. Roles and scope are the
/// handler's to check (403), with <see cref="Caller.CanActOn"/>.
/// </summary>
public sealed class Authenticator(TokenValidator validator)
{
    const string CallerItem = "Eval.Auth.Caller";

    public async Task<(Caller? Caller, IResult? Problem)> AuthenticateAsync(HttpRequest request)
    {
        // A request is validated once (the Idempotency-Key layer and the handler both ask).
        if (request.HttpContext.Items[CallerItem] is Caller known) return (known, null);
        string authorization = request.Headers.Authorization.ToString();
        AuthResult result = await validator.ValidateAsync(authorization, request.HttpContext.RequestAborted);
        if (result.Succeeded)
        {
            request.HttpContext.Items[CallerItem] = result.Caller;
            return (result.Caller, null);
        }

        // RFC 6750: an error code only when a token was sent; a bare challenge when the client sent none.
        request.HttpContext.Response.Headers[HeaderNames.WWWAuthenticate] =
            result.TokenPresented ? "Bearer error=\"invalid_token\"" : "Bearer";
        return (null, Problems.Create(StatusCodes.Status401Unauthorized, "unauthorized", "Authentication is required.", result.FailureReason));
    }
}
