namespace Eval.Api.Auth;

/// <summary>
/// Settings section "Auth" (Auth__SigningKey etc. as app settings). Setting <see cref="MetadataAddress"/> selects
/// Entra ID (RS256 keys from OIDC metadata); otherwise tokens are HS256 signed with <see cref="SigningKey"/>, which
/// <see cref="TokenModeGuard"/> allows only outside Azure.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>HS256 mode: the shared secret as a UTF-8 string of at least <see cref="MinSigningKeyBytes"/> bytes.</summary>
    public string? SigningKey { get; set; }

    public string Issuer { get; set; } = "eval-local";

    public string Audience { get; set; } = "eval-api";

    /// <summary>OIDC mode: the .well-known/openid-configuration address of the tenant.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>
    /// Entra ID mode: comma-separated client ids of the applications whose tokens are accepted (the token's <c>azp</c>,
    /// or <c>appid</c> in v1 tokens). Empty accepts a token issued to any client the tenant lets call the API.
    /// </summary>
    public string? AllowedClientIds { get; set; }

    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>HS256 needs a 256-bit key to be as strong as its hash.</summary>
    public const int MinSigningKeyBytes = 32;
}
