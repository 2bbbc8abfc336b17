using System.Diagnostics.CodeAnalysis;
using Eval.Application;

namespace Eval.Api.Auth;

/// <summary>The outcome of checking an Authorization header: a caller, or a short reason safe to show the client.</summary>
public sealed record AuthResult
{
    AuthResult(Caller? caller, string? failureReason, bool tokenPresented)
    {
        Caller = caller;
        FailureReason = failureReason;
        TokenPresented = tokenPresented;
    }

    public Caller? Caller { get; }

    public string? FailureReason { get; }

    /// <summary>A bearer token was sent; decides between <c>Bearer error="invalid_token"</c> and a plain <c>Bearer</c> challenge.</summary>
    public bool TokenPresented { get; }

    [MemberNotNullWhen(true, nameof(Caller))]
    [MemberNotNullWhen(false, nameof(FailureReason))]
    public bool Succeeded => Caller is not null;

    public static AuthResult Success(Caller caller) => new(caller, null, tokenPresented: true);

    /// <summary>No bearer token at all (no header, or another scheme).</summary>
    public static AuthResult Missing(string reason) => new(null, reason, tokenPresented: false);

    /// <summary>A bearer token was sent and rejected.</summary>
    public static AuthResult Invalid(string reason) => new(null, reason, tokenPresented: true);
}
