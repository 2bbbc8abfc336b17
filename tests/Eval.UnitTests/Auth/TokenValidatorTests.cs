using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Eval.Api.Auth;
using Eval.Workflows.Domain;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Eval.UnitTests.Auth;

/// <summary>The validator in both modes: HS256 with the local key, RS256 with keys from (static) OIDC metadata.</summary>
public sealed class TokenValidatorTests
{
    const string Key = "test-signing-key-that-is-long-enough-0123456789";
    const string Unit = "chifeng.hongshan.t01";

    static readonly AuthOptions Local = new() { SigningKey = Key };

    static readonly AuthOptions Entra = new()
    {
        Issuer = "https://login.microsoftonline.com/tenant-id/v2.0",
        Audience = "api://eval",
        MetadataAddress = "https://login.microsoftonline.com/tenant-id/v2.0/.well-known/openid-configuration",
    };

    readonly TokenValidator localValidator = new(Local);

    static string DevToken(TimeSpan? lifetime = null, DateTimeOffset? now = null, AuthOptions? options = null, string unit = Unit) =>
        DevTokens.Create(options ?? Local, "u-1", "Alice", [Roles.TownshipReviewer, Roles.Member], unit,
            lifetime ?? TimeSpan.FromHours(1), now);

    /// <summary>A token with exactly the given claims, for shapes DevTokens does not write.</summary>
    static string SignedToken(Dictionary<string, object> claims, SigningCredentials credentials, AuthOptions options)
    {
        DateTime now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            Claims = claims,
            SigningCredentials = credentials,
        });
    }

    static SigningCredentials LocalCredentials => new(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Key)), SecurityAlgorithms.HmacSha256);

    static SigningCredentials RsaCredentials(RsaSecurityKey key) => new(key, SecurityAlgorithms.RsaSha256);

    static RsaSecurityKey NewRsaKey(string keyId) => new(RSA.Create(2048)) { KeyId = keyId };

    static TokenValidator EntraValidator(params RsaSecurityKey[] keys) => new(Entra, StaticMetadata(keys));

    static StaticConfigurationManager<OpenIdConnectConfiguration> StaticMetadata(params RsaSecurityKey[] keys) => new(Metadata(keys));

    static OpenIdConnectConfiguration Metadata(params RsaSecurityKey[] keys)
    {
        var configuration = new OpenIdConnectConfiguration { Issuer = Entra.Issuer };
        foreach (RsaSecurityKey key in keys) configuration.SigningKeys.Add(key);
        return configuration;
    }

    static Dictionary<string, object> Claims(object? roles = null, string? unit = Unit, string? sub = "u-1")
    {
        var claims = new Dictionary<string, object> { ["name"] = "Alice", ["roles"] = roles ?? new[] { Roles.CountyScorer } };
        if (unit is not null) claims["unit"] = unit;
        if (sub is not null) claims["sub"] = sub;
        return claims;
    }

    static string Segment(object json) => Base64UrlEncoder.Encode(JsonSerializer.Serialize(json));

    static async Task<string> AssertInvalid(TokenValidator validator, string? header, string reasonFragment, bool tokenPresented = true)
    {
        AuthResult result = await validator.ValidateAsync(header);
        Assert.False(result.Succeeded);
        Assert.Null(result.Caller);
        Assert.Contains(reasonFragment, result.FailureReason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(tokenPresented, result.TokenPresented);
        Assert.DoesNotContain(Key, result.FailureReason);
        if (header is { Length: > 20 }) Assert.DoesNotContain(header[7..], result.FailureReason);
        return result.FailureReason;
    }

    // --- accepted ---

    [Fact]
    public async Task A_valid_HS256_token_gives_the_caller_with_its_roles_and_unit()
    {
        AuthResult result = await localValidator.ValidateAsync("Bearer " + DevToken());

        Assert.True(result.Succeeded);
        Assert.Equal(new[] { Roles.TownshipReviewer, Roles.Member }, result.Caller.Roles);
        Assert.Equal("u-1", result.Caller.Id);
        Assert.Equal("Alice", result.Caller.Name);
        Assert.Equal(Unit, result.Caller.Unit);
    }

    [Fact]
    public async Task Roles_given_as_a_single_string_are_read_as_one_role()
    {
        string token = SignedToken(Claims(roles: Roles.BranchSecretary), LocalCredentials, Local);

        AuthResult result = await localValidator.ValidateAsync("Bearer " + token);

        Assert.True(result.Succeeded);
        Assert.Equal([Roles.BranchSecretary], result.Caller.Roles);
    }

    [Theory]
    [InlineData("张三", "张三")]
    [InlineData("Баатар 🙂", "Баатар 🙂")]
    [InlineData("", "u-1")]
    [InlineData("Alice\u202Eecila", "u-1")]
    [InlineData("Alice\nSet-Cookie: x", "u-1")]
    [InlineData("Alice\u001b[31m", "u-1")]
    [InlineData("Alice\u0000", "u-1")]
    public async Task A_name_that_is_not_clean_single_line_text_falls_back_to_the_subject(string name, string shown)
    {
        Dictionary<string, object> claims = Claims();
        claims["name"] = name;

        AuthResult result = await localValidator.ValidateAsync("Bearer " + SignedToken(claims, LocalCredentials, Local));

        Assert.True(result.Succeeded);
        Assert.Equal(shown, result.Caller.Name);
    }

    [Fact]
    public async Task The_scheme_name_is_case_insensitive()
    {
        AuthResult result = await localValidator.ValidateAsync("bearer " + DevToken());
        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task A_token_just_expired_within_the_clock_skew_is_still_accepted()
    {
        string token = DevToken(lifetime: TimeSpan.FromMinutes(10), now: DateTimeOffset.UtcNow.AddMinutes(-10).AddSeconds(-10));
        AuthResult result = await localValidator.ValidateAsync("Bearer " + token);
        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task DevTokens_writes_roles_as_a_JSON_array_even_for_one_role()
    {
        string token = DevTokens.Create(Local, "u-2", "Bob", [Roles.Member], "chifeng", TimeSpan.FromMinutes(5));
        JsonNode payload = JsonNode.Parse(Base64UrlEncoder.Decode(token.Split('.')[1]))!;

        Assert.Equal(JsonValueKind.Array, payload["roles"]!.GetValueKind());
        Assert.Equal("eval-local", (string?)payload["iss"]);
        Assert.Equal("eval-api", (string?)payload["aud"]);
        Assert.Equal("chifeng", (string?)payload["unit"]);
        Assert.NotNull(payload["nbf"]);
        Assert.NotNull(payload["iat"]);
        Assert.Equal((long)payload["iat"]! + 300, (long)payload["exp"]!);
    }

    // --- rejected: lifetime, signature, issuer, audience ---

    [Fact]
    public Task An_expired_token_is_rejected() =>
        AssertInvalid(localValidator, "Bearer " + DevToken(lifetime: TimeSpan.FromHours(1), now: DateTimeOffset.UtcNow.AddHours(-2)),
            "expired");

    [Fact]
    public Task A_token_not_valid_until_beyond_the_clock_skew_is_rejected() =>
        AssertInvalid(localValidator, "Bearer " + DevToken(now: DateTimeOffset.UtcNow.AddMinutes(5)), "not valid yet");

    [Fact]
    public Task A_token_signed_with_another_key_is_rejected()
    {
        var other = new AuthOptions { SigningKey = "another-signing-key-that-is-long-enough-987654321" };
        return AssertInvalid(localValidator, "Bearer " + DevToken(options: other), "signature");
    }

    [Fact]
    public Task An_unsigned_alg_none_token_is_rejected()
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string header = Segment(new { alg = "none", typ = "JWT" });
        string payload = Segment(new
        {
            iss = Local.Issuer, aud = Local.Audience, sub = "u-1", roles = new[] { Roles.OrgDepartment }, unit = "chifeng",
            iat = now, nbf = now, exp = now + 3600,
        });
        return AssertInvalid(localValidator, $"Bearer {header}.{payload}.", "signature");
    }

    [Fact]
    public async Task A_payload_changed_after_signing_is_rejected()
    {
        string[] parts = DevToken().Split('.');
        // Widening the scope to the whole city is exactly what a forger would try.
        string payload = Base64UrlEncoder.Decode(parts[1]).Replace($"\"{Unit}\"", "\"chifeng\"");
        Assert.Contains("\"chifeng\"", payload);

        await AssertInvalid(localValidator, $"Bearer {parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}", "signature");
    }

    [Fact]
    public Task A_token_from_another_issuer_is_rejected() =>
        AssertInvalid(localValidator, "Bearer " + DevToken(options: new AuthOptions { SigningKey = Key, Issuer = "someone-else" }),
            "issuer");

    [Fact]
    public Task A_token_for_another_audience_is_rejected() =>
        AssertInvalid(localValidator, "Bearer " + DevToken(options: new AuthOptions { SigningKey = Key, Audience = "other-api" }),
            "audience");

    [Fact]
    public Task A_token_without_expiry_is_rejected()
    {
        string token = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Local.Issuer,
            Audience = Local.Audience,
            Claims = Claims(),
            SigningCredentials = LocalCredentials,
        });
        return AssertInvalid(localValidator, "Bearer " + token, "expiry");
    }

    // --- rejected: claims ---

    [Fact]
    public Task A_token_without_a_subject_is_rejected() =>
        AssertInvalid(localValidator, "Bearer " + SignedToken(Claims(sub: null), LocalCredentials, Local), "sub");

    [Fact]
    public Task A_token_without_a_unit_is_rejected() =>
        AssertInvalid(localValidator, "Bearer " + SignedToken(Claims(unit: null), LocalCredentials, Local), "no unit");

    [Theory]
    [InlineData("chifeng/../x")]
    [InlineData("Chifeng")]
    [InlineData("chifeng.hongshan.t01.b001.extra")]
    public Task A_token_with_an_invalid_unit_is_rejected(string unit) =>
        AssertInvalid(localValidator, "Bearer " + DevToken(unit: unit), "not a valid unit");

    [Fact]
    public Task A_unit_that_is_not_a_string_is_rejected()
    {
        Dictionary<string, object> claims = Claims(unit: null);
        claims["unit"] = 42;
        return AssertInvalid(localValidator, "Bearer " + SignedToken(claims, LocalCredentials, Local), "no unit");
    }

    // --- rejected: the header itself ---

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public Task A_missing_header_is_rejected_without_a_token(string? header) =>
        AssertInvalid(localValidator, header, "missing", tokenPresented: false);

    [Fact]
    public Task Another_scheme_is_rejected_without_a_token() =>
        AssertInvalid(localValidator, "Basic xyz", "Bearer scheme", tokenPresented: false);

    [Fact]
    public Task Bearer_without_a_token_is_rejected_without_a_token() =>
        AssertInvalid(localValidator, "Bearer", "empty", tokenPresented: false);

    [Theory]
    [InlineData("Bearer garbage")]
    [InlineData("Bearer a.b.c")]
    [InlineData("Bearer eyJhbGciOiJIUzI1NiJ9.not-base64!.sig")]
    public Task A_malformed_token_is_rejected(string header) =>
        AssertInvalid(localValidator, header, "malformed");

    // --- RS256 (Entra ID) mode ---

    [Fact]
    public async Task RS256_mode_accepts_a_token_signed_by_a_metadata_key()
    {
        RsaSecurityKey key = NewRsaKey("entra-1");
        string token = SignedToken(Claims(roles: new[] { Roles.OrgDepartment }, unit: "chifeng"), RsaCredentials(key), Entra);

        AuthResult result = await EntraValidator(key).ValidateAsync("Bearer " + token);

        Assert.True(result.Succeeded);
        Assert.Equal([Roles.OrgDepartment], result.Caller.Roles);
        Assert.Equal("chifeng", result.Caller.Unit);
    }

    [Fact]
    public Task RS256_mode_rejects_a_token_signed_by_a_key_not_in_the_metadata() =>
        AssertInvalid(EntraValidator(NewRsaKey("entra-1")),
            "Bearer " + SignedToken(Claims(), RsaCredentials(NewRsaKey("entra-1")), Entra), "signature");

    [Fact]
    public async Task RS256_mode_rejects_an_HS256_token_keyed_with_the_public_key()
    {
        RsaSecurityKey key = NewRsaKey("entra-1");
        // The classic confusion attack: the public key, which anyone can fetch, used as an HMAC secret.
        byte[] publicKeyBytes = Encoding.UTF8.GetBytes(key.Rsa.ExportSubjectPublicKeyInfoPem());
        var forged = new SigningCredentials(new SymmetricSecurityKey(publicKeyBytes) { KeyId = "entra-1" }, SecurityAlgorithms.HmacSha256);

        await AssertInvalid(EntraValidator(key), "Bearer " + SignedToken(Claims(), forged, Entra), "signature");
    }

    [Fact]
    public Task HS256_mode_rejects_an_RS256_token() =>
        AssertInvalid(localValidator, "Bearer " + SignedToken(Claims(), RsaCredentials(NewRsaKey("k")), Local), "signature");

    [Fact]
    public async Task HS256_mode_rejects_another_HMAC_algorithm_even_with_the_right_key()
    {
        // IdentityModel reports an algorithm outside ValidAlgorithms as a signature failure.
        var options = new AuthOptions { SigningKey = new string('k', 64) };
        var credentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.SigningKey)),
            SecurityAlgorithms.HmacSha384);
        var validator = new TokenValidator(options);

        await AssertInvalid(validator, "Bearer " + SignedToken(Claims(), credentials, options), "signature");
        Assert.True((await validator.ValidateAsync("Bearer " + DevToken(options: options))).Succeeded);
    }

    [Fact]
    public Task RS256_mode_rejects_the_wrong_issuer() =>
        RejectsInEntraMode(new AuthOptions { Issuer = "https://sts.windows.net/other-tenant/", Audience = Entra.Audience }, "issuer");

    [Fact]
    public Task RS256_mode_rejects_the_wrong_audience() =>
        RejectsInEntraMode(new AuthOptions { Issuer = Entra.Issuer, Audience = "api://other" }, "audience");

    async Task RejectsInEntraMode(AuthOptions tokenOptions, string reasonFragment)
    {
        RsaSecurityKey key = NewRsaKey("entra-1");
        await AssertInvalid(EntraValidator(key), "Bearer " + SignedToken(Claims(), RsaCredentials(key), tokenOptions), reasonFragment);
    }

    [Fact]
    public async Task RS256_mode_refreshes_the_metadata_once_when_the_key_id_is_unknown()
    {
        RsaSecurityKey old = NewRsaKey("old"), rotated = NewRsaKey("new");
        var metadata = new RotatingMetadata(Metadata(old), Metadata(old, rotated));
        var validator = new TokenValidator(Entra, metadata);

        AuthResult result = await validator.ValidateAsync("Bearer " + SignedToken(Claims(), RsaCredentials(rotated), Entra));

        Assert.True(result.Succeeded);
        Assert.Equal(1, metadata.Refreshes);
    }

    // --- RS256: the client application the token was issued to ---

    const string OurClient = "11111111-1111-1111-1111-111111111111";
    const string OtherClient = "22222222-2222-2222-2222-222222222222";

    static AuthOptions EntraFor(string? allowedClientIds) => new()
    {
        Issuer = Entra.Issuer,
        Audience = Entra.Audience,
        MetadataAddress = Entra.MetadataAddress,
        AllowedClientIds = allowedClientIds,
    };

    /// <summary>A v2.0 token names its client in azp, a v1.0 token in appid.</summary>
    static async Task<AuthResult> ValidateFromClient(string? allowedClientIds, string claim, string? clientId)
    {
        RsaSecurityKey key = NewRsaKey("entra-1");
        Dictionary<string, object> claims = Claims();
        if (clientId is not null) claims[claim] = clientId;
        var validator = new TokenValidator(EntraFor(allowedClientIds), StaticMetadata(key));
        return await validator.ValidateAsync("Bearer " + SignedToken(claims, RsaCredentials(key), Entra));
    }

    [Theory]
    [InlineData("azp")]
    [InlineData("appid")]
    public async Task With_an_allow_list_a_token_issued_to_another_client_is_rejected(string claim)
    {
        AuthResult result = await ValidateFromClient(OurClient, claim, OtherClient);

        Assert.False(result.Succeeded);
        Assert.True(result.TokenPresented);
        Assert.Equal("The token was issued to another client application.", result.FailureReason);
    }

    [Fact]
    public async Task With_an_allow_list_a_token_naming_no_client_is_rejected()
    {
        AuthResult result = await ValidateFromClient(OurClient, "azp", clientId: null);
        Assert.Equal("The token was issued to another client application.", result.FailureReason);
    }

    [Theory]
    [InlineData("azp")]
    [InlineData("appid")]
    public async Task With_an_allow_list_a_token_issued_to_a_listed_client_is_accepted(string claim)
    {
        AuthResult result = await ValidateFromClient($" {OtherClient.ToUpperInvariant()} ,{OurClient},", claim, OurClient);

        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal("u-1", result.Caller.Id);
    }

    [Fact]
    public async Task A_v2_token_is_judged_by_azp_even_if_it_also_carries_a_listed_appid()
    {
        RsaSecurityKey key = NewRsaKey("entra-1");
        Dictionary<string, object> claims = Claims();
        claims["azp"] = OtherClient;
        claims["appid"] = OurClient;
        var validator = new TokenValidator(EntraFor(OurClient), StaticMetadata(key));

        await AssertInvalid(validator, "Bearer " + SignedToken(claims, RsaCredentials(key), Entra), "another client application");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" , ")]
    public async Task Without_an_allow_list_a_token_from_any_client_is_accepted(string? allowedClientIds)
    {
        AuthResult result = await ValidateFromClient(allowedClientIds, "azp", OtherClient);
        Assert.True(result.Succeeded, result.FailureReason);
    }

    [Fact]
    public async Task HS256_development_tokens_name_no_client_and_are_not_held_to_the_list()
    {
        var validator = new TokenValidator(new AuthOptions { SigningKey = Key, AllowedClientIds = OurClient });
        Assert.True((await validator.ValidateAsync("Bearer " + DevToken())).Succeeded);
    }

    /// <summary>Serves the first configuration until a refresh is requested, then the second.</summary>
    sealed class RotatingMetadata(OpenIdConnectConfiguration before, OpenIdConnectConfiguration after)
        : IConfigurationManager<OpenIdConnectConfiguration>
    {
        public int Refreshes { get; private set; }

        public Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel) =>
            Task.FromResult(Refreshes == 0 ? before : after);

        public void RequestRefresh() => Refreshes++;
    }

    // --- configuration ---

    [Fact]
    public void Without_a_key_or_metadata_address_construction_fails_clearly()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new TokenValidator(new AuthOptions()));
        Assert.Contains("Auth:SigningKey", error.Message);
        Assert.Contains("Auth:MetadataAddress", error.Message);
    }

    [Fact]
    public void A_key_shorter_than_32_bytes_fails_without_revealing_it()
    {
        const string shortKey = "only-31-bytes-long-xxxxxxxxxxxx";
        Assert.Equal(31, Encoding.UTF8.GetByteCount(shortKey));

        var error = Assert.Throws<InvalidOperationException>(() => new TokenValidator(new AuthOptions { SigningKey = shortKey }));
        Assert.Contains("32 bytes", error.Message);
        Assert.DoesNotContain(shortKey, error.Message);
    }

    [Fact]
    public void A_metadata_address_alone_is_enough_configuration()
    {
        var validator = new TokenValidator(
            new AuthOptions { MetadataAddress = Entra.MetadataAddress, Issuer = Entra.Issuer, Audience = Entra.Audience });
        Assert.NotNull(validator);
    }
}
