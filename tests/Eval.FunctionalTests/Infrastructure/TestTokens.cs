using System.Net.Http.Headers;
using Eval.Api.Auth;

namespace Eval.FunctionalTests.Infrastructure;

/// <summary>Development tokens for the test hosts (the same HS256 scheme `./eval token` uses).</summary>
public static class TestTokens
{
    public const string SigningKey = "functional-tests-signing-key-0123456789abcdef";

    static readonly AuthOptions Options = new() { SigningKey = SigningKey };

    public static string For(string role, string unit, string? sub = null) =>
        DevTokens.Create(Options, sub ?? $"{role}@{unit}", sub ?? role, [role], unit, TimeSpan.FromHours(1));

    public static AuthenticationHeaderValue Bearer(string role, string unit, string? sub = null) => new("Bearer", For(role, unit, sub));
}
