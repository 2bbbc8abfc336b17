using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Eval.Api.Auth;

/// <summary>
/// HS256 tokens for the local host and tests, signed with <see cref="AuthOptions.SigningKey"/>. The claims are
/// written as given, unchecked, so a test or a developer can also mint a token the API must refuse.
/// </summary>
public static class DevTokens
{
    public static string Create(AuthOptions options, string sub, string name, IEnumerable<string> roles, string unit,
        TimeSpan lifetime, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        byte[] key = string.IsNullOrEmpty(options.SigningKey) ? [] : Encoding.UTF8.GetBytes(options.SigningKey);
        if (key.Length < AuthOptions.MinSigningKeyBytes)
            throw new InvalidOperationException(
                $"Setting 'Auth:SigningKey' must be at least {AuthOptions.MinSigningKeyBytes} bytes as UTF-8 to sign tokens.");

        DateTime issuedAt = (now ?? DateTimeOffset.UtcNow).UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + lifetime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = sub,
                ["name"] = name,
                // Always an array, even for one role, as Entra ID writes it.
                ["roles"] = roles.ToArray(),
                ["unit"] = unit,
            },
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
