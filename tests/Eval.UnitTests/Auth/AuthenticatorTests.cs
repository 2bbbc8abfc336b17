using Eval.Api.Auth;
using Eval.Api.Http;
using Eval.Application;
using Eval.Workflows.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Eval.UnitTests.Auth;

/// <summary>The 401 problem (as the API answers it) and the Bearer challenge for an unauthenticated request.</summary>
public sealed class AuthenticatorTests
{
    static readonly AuthOptions Local = new() { SigningKey = "test-signing-key-that-is-long-enough-0123456789" };

    readonly Authenticator authenticator = new(new TokenValidator(Local));

    static HttpRequest Request(string? authorization)
    {
        var context = new DefaultHttpContext();
        if (authorization is not null) context.Request.Headers.Authorization = authorization;
        return context.Request;
    }

    [Fact]
    public async Task A_valid_token_gives_a_caller_and_no_problem()
    {
        string token = DevTokens.Create(Local, "u-1", "Alice", [Roles.Member], "chifeng.hongshan.t01.b001", TimeSpan.FromMinutes(5));
        HttpRequest request = Request("Bearer " + token);

        Result<Caller> caller = await authenticator.AuthenticateAsync(request);

        Assert.Null(caller.Problem);
        Assert.Equal("u-1", caller.Value?.Id);
        Assert.False(request.HttpContext.Response.Headers.ContainsKey("WWW-Authenticate"));
    }

    [Fact]
    public async Task No_header_gives_401_with_a_plain_Bearer_challenge()
    {
        HttpRequest request = Request(null);

        Result<Caller> caller = await authenticator.AuthenticateAsync(request);

        Assert.Null(caller.Value);
        Assert.False(caller.Ok);
        Assert.Equal(ProblemKind.Unauthorized, caller.Problem.Kind);
        ProblemHttpResult result = Assert.IsType<ProblemHttpResult>(caller.Problem.ToResult());
        Assert.Equal(StatusCodes.Status401Unauthorized, result.StatusCode);
        Assert.Equal("https://eval.example/problems/unauthorized", result.ProblemDetails.Type);
        Assert.Equal("application/problem+json", result.ContentType);
        Assert.Equal("Bearer", request.HttpContext.Response.Headers.WWWAuthenticate.ToString());
    }

    [Fact]
    public async Task A_bad_token_gives_401_with_invalid_token_and_does_not_echo_it()
    {
        const string token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        HttpRequest request = Request("Bearer " + token);

        Result<Caller> caller = await authenticator.AuthenticateAsync(request);

        Assert.Null(caller.Value);
        Assert.False(caller.Ok);
        Assert.Equal(ProblemKind.Unauthorized, caller.Problem.Kind);
        ProblemHttpResult result = Assert.IsType<ProblemHttpResult>(caller.Problem.ToResult());
        Assert.Equal(StatusCodes.Status401Unauthorized, result.StatusCode);
        Assert.False(string.IsNullOrEmpty(result.ProblemDetails.Detail));
        Assert.DoesNotContain(token, result.ProblemDetails.Detail);
        Assert.Equal("Bearer error=\"invalid_token\"", request.HttpContext.Response.Headers.WWWAuthenticate.ToString());
    }
}
