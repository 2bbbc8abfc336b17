using System.Security.Claims;
using System.Text;
using Eval.Application;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Eval.Api.Auth;

/// <summary>
/// Checks an <c>Authorization: Bearer</c> header and turns its JWT into a <see cref="Caller"/>. One validator, two
/// modes: with <see cref="AuthOptions.MetadataAddress"/> it accepts only RS256 tokens signed by a key from the OIDC
/// metadata (Entra ID), and only from the clients in <see cref="AuthOptions.AllowedClientIds"/> when that is set;
/// without it only HS256 tokens signed with <see cref="AuthOptions.SigningKey"/> (local, tests), where
/// <see cref="TokenModeGuard"/> allows them. Failure reasons are fixed sentences: they never echo the token, the key
/// or an exception message.
/// </summary>
public sealed class TokenValidator
{
    const string BearerScheme = "Bearer";
    const string OtherClientReason = "The token was issued to another client application.";

    readonly JsonWebTokenHandler handler = new();
    readonly TokenValidationParameters baseParameters;
    readonly IConfigurationManager<OpenIdConnectConfiguration>? metadata;
    readonly HashSet<string> allowedClientIds;

    /// <param name="guard">Where HS256 tokens may be accepted; without one, outside Azure and not with the sample key.</param>
    public TokenValidator(AuthOptions options, TokenModeGuard? guard = null) : this(options, CreateMetadataManager(options), guard) { }

    /// <summary>With <paramref name="metadata"/> the validator is in RS256 mode; tests pass a static configuration.</summary>
    internal TokenValidator(AuthOptions options, IConfigurationManager<OpenIdConnectConfiguration>? metadata, TokenModeGuard? guard = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (metadata is null) (guard ?? new TokenModeGuard(sampleSigningKeyAllowed: false)).Check(options);
        if (string.IsNullOrWhiteSpace(options.Issuer) || string.IsNullOrWhiteSpace(options.Audience))
            throw new InvalidOperationException("Settings 'Auth:Issuer' and 'Auth:Audience' must not be empty.");
        if (options.ClockSkewSeconds < 0)
            throw new InvalidOperationException("Setting 'Auth:ClockSkewSeconds' must not be negative.");

        this.metadata = metadata;
        allowedClientIds = (options.AllowedClientIds ?? "")
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        baseParameters = new TokenValidationParameters
        {
            ValidIssuer = options.Issuer,
            ValidAudience = options.Audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromSeconds(options.ClockSkewSeconds),
            // Pinning the algorithm to the mode's key type is what stops alg:none and HS/RS confusion.
            ValidAlgorithms = [metadata is null ? SecurityAlgorithms.HmacSha256 : SecurityAlgorithms.RsaSha256],
        };
        if (metadata is null) baseParameters.IssuerSigningKey = new SymmetricSecurityKey(SigningKeyBytes(options));
    }

    /// <summary>
    /// Never throws for a bad token. In RS256 mode it lets an exception through when the OIDC metadata cannot be
    /// loaded at all (before the first successful fetch): that is an outage, not a client error.
    /// </summary>
    public async Task<AuthResult> ValidateAsync(string? authorizationHeader, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(authorizationHeader))
            return AuthResult.Missing("The Authorization header is missing.");

        string header = authorizationHeader.Trim();
        int space = header.IndexOf(' ');
        string scheme = space < 0 ? header : header[..space];
        if (!scheme.Equals(BearerScheme, StringComparison.OrdinalIgnoreCase))
            return AuthResult.Missing("The Authorization header must use the Bearer scheme.");
        string token = space < 0 ? "" : header[(space + 1)..].Trim();
        if (token.Length == 0)
            return AuthResult.Missing("The Bearer token is empty.");

        TokenValidationResult result = await ValidateTokenAsync(token, ct);
        if (!result.IsValid) return AuthResult.Invalid(ReasonFor(result.Exception));
        if (!IssuedToAllowedClient(result.ClaimsIdentity)) return AuthResult.Invalid(OtherClientReason);
        return ToCaller(result.ClaimsIdentity);
    }

    /// <summary>
    /// Any client the tenant lets call the API may, unless the list is set (RS256 mode only: development tokens name
    /// no client). v2.0 tokens name the client in <c>azp</c>, v1.0 tokens in <c>appid</c>; a token with neither is refused.
    /// </summary>
    bool IssuedToAllowedClient(ClaimsIdentity identity)
    {
        if (metadata is null || allowedClientIds.Count == 0) return true;
        string? client = StringClaim(identity, "azp") ?? StringClaim(identity, "appid");
        return client is not null && allowedClientIds.Contains(client);
    }

    async Task<TokenValidationResult> ValidateTokenAsync(string token, CancellationToken ct)
    {
        if (metadata is null) return await handler.ValidateTokenAsync(token, baseParameters);

        TokenValidationResult result = await handler.ValidateTokenAsync(token, await ParametersFromMetadata(ct));
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // An unknown key id may mean Entra rotated its keys; the manager rate-limits these refreshes.
            metadata.RequestRefresh();
            result = await handler.ValidateTokenAsync(token, await ParametersFromMetadata(ct));
        }
        return result;
    }

    async Task<TokenValidationParameters> ParametersFromMetadata(CancellationToken ct)
    {
        OpenIdConnectConfiguration configuration = await metadata!.GetConfigurationAsync(ct);
        TokenValidationParameters parameters = baseParameters.Clone();
        parameters.IssuerSigningKeys = configuration.SigningKeys;
        return parameters;
    }

    static AuthResult ToCaller(ClaimsIdentity identity)
    {
        string? sub = StringClaim(identity, "sub");
        if (string.IsNullOrWhiteSpace(sub)) return AuthResult.Invalid("The token has no subject (sub).");

        string? unit = StringClaim(identity, "unit");
        if (unit is null) return AuthResult.Invalid("The token has no unit claim.");
        if (!UnitPath.IsValid(unit)) return AuthResult.Invalid("The token's unit claim is not a valid unit id.");

        // A JSON array arrives as one claim per element and a single string as one claim, so both forms read alike.
        string[] roles = identity.FindAll(c => c.Type == "roles" && c.ValueType == ClaimValueTypes.String)
            .Select(c => c.Value).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).ToArray();

        // The name is for display only, and lands in the history: fall back to the id rather than reject a token
        // without it, or with a name that is not clean single-line text.
        string? given = StringClaim(identity, "name");
        string name = given is { Length: > 0 } && CleanText.IsClean(given, TextField.SingleLine) ? given : sub;
        return AuthResult.Success(new Caller(sub, name, roles, unit));
    }

    /// <summary>The claim's value when it is a JSON string; a number or object in its place counts as absent.</summary>
    static string? StringClaim(ClaimsIdentity identity, string type) =>
        identity.FindFirst(c => c.Type == type && c.ValueType == ClaimValueTypes.String)?.Value;

    static string ReasonFor(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "The token has expired.",
        SecurityTokenNotYetValidException => "The token is not valid yet.",
        SecurityTokenNoExpirationException => "The token has no expiry.",
        SecurityTokenInvalidLifetimeException => "The token's lifetime is not valid.",
        SecurityTokenInvalidIssuerException => "The token's issuer is not accepted.",
        SecurityTokenInvalidAudienceException => "The token's audience is not accepted.",
        SecurityTokenInvalidAlgorithmException => "The token's signing algorithm is not accepted.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The token's signature is not valid.",
        SecurityTokenMalformedException or ArgumentException => "The token is malformed.",
        _ => "The token is not valid.",
    };

    static byte[] SigningKeyBytes(AuthOptions options)
    {
        byte[] key = string.IsNullOrEmpty(options.SigningKey) ? [] : Encoding.UTF8.GetBytes(options.SigningKey);
        if (key.Length >= AuthOptions.MinSigningKeyBytes) return key;
        throw new InvalidOperationException(key.Length == 0
            ? "No token validation is configured: set 'Auth:SigningKey' (Auth__SigningKey) for HS256 tokens, " +
                "or 'Auth:MetadataAddress' for Entra ID."
            : $"Setting 'Auth:SigningKey' is too short: it needs at least {AuthOptions.MinSigningKeyBytes} bytes as UTF-8, " +
                $"it has {key.Length}.");
    }

    static IConfigurationManager<OpenIdConnectConfiguration>? CreateMetadataManager(AuthOptions options) =>
        string.IsNullOrWhiteSpace(options.MetadataAddress)
            ? null
            : new ConfigurationManager<OpenIdConnectConfiguration>(
                options.MetadataAddress, new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever { RequireHttps = true });
}
