using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Eval.Workflows.Keys;

/// <summary>
/// A public P-256 key as a JSON Web Key (RFC 7517), named by its RFC 7638 thumbprint, so the same key has the same
/// <see cref="Kid"/> wherever it is kept.
/// </summary>
public sealed record PublicJwk(
    [property: JsonPropertyName("kty")] string Kty,
    [property: JsonPropertyName("crv")] string Crv,
    [property: JsonPropertyName("x")] string X,
    [property: JsonPropertyName("y")] string Y,
    [property: JsonPropertyName("kid")] string Kid)
{
    [JsonPropertyName("use")] public string Use => "sig";
    [JsonPropertyName("alg")] public string Alg => CompactJws.Algorithm;

    public static PublicJwk P256(byte[] x, byte[] y)
    {
        string ex = Base64Url.EncodeToString(x), ey = Base64Url.EncodeToString(y);
        // RFC 7638: the required members in lexicographic order, no whitespace.
        string thumbprint = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{ex}\",\"y\":\"{ey}\"}}";
        return new PublicJwk("EC", "P-256", ex, ey, Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(thumbprint))));
    }

    /// <summary>The key, for checking a signature made with it.</summary>
    public ECDsa ToECDsa() => ECDsa.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP256,
        Q = new ECPoint { X = Base64Url.DecodeFromChars(X), Y = Base64Url.DecodeFromChars(Y) },
    });
}

/// <summary>The public keys as a JWK Set (RFC 7517, section 5), as GET /api/keys serves them.</summary>
public sealed record JwkSet([property: JsonPropertyName("keys")] IReadOnlyList<PublicJwk> Keys);

/// <summary>
/// Signs with ES256 (ECDSA P-256, SHA-256). The key is the vault's in Azure, where the private key never leaves it, or a
/// local file on the local host. <see cref="PublicKeysAsync"/> includes the keys that signed earlier statements.
/// </summary>
public abstract class StatementSigner
{
    /// <summary>The key new signatures are made with.</summary>
    public abstract Task<PublicJwk> ActiveKeyAsync(CancellationToken ct = default);

    /// <summary>Every public key whose signatures still verify: the active one and those before it.</summary>
    public abstract Task<IReadOnlyList<PublicJwk>> PublicKeysAsync(CancellationToken ct = default);

    /// <summary>The ES256 signature of <paramref name="data"/> by the active key: r and s, 32 bytes each (RFC 7518, 3.4).</summary>
    protected abstract Task<byte[]> SignAsync(PublicJwk key, byte[] data, CancellationToken ct);

    /// <summary><paramref name="payload"/> signed as a compact JWS (RFC 7515), with the active key's kid in its header.</summary>
    public async Task<string> SignCompactAsync(byte[] payload, CancellationToken ct = default)
    {
        PublicJwk key = await ActiveKeyAsync(ct);
        string signingInput = CompactJws.SigningInput(key.Kid, payload);
        byte[] signature = await SignAsync(key, Encoding.ASCII.GetBytes(signingInput), ct);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }
}

/// <summary>The compact serialization of a JWS (RFC 7515, section 7.1) as Eval writes and checks it.</summary>
public static class CompactJws
{
    public const string Algorithm = "ES256";
    public const string MediaType = "application/jose";

    /// <summary>The protected header: the algorithm, the key, and that the payload is JSON.</summary>
    public static string Header(string kid) => JsonSerializer.Serialize(new JwsHeader(Algorithm, kid, "JOSE", "json"));

    public static string SigningInput(string kid, byte[] payload) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Header(kid))) + "." + Base64Url.EncodeToString(payload);

    /// <summary>
    /// The payload of <paramref name="jws"/> when its signature holds under the key its header names among
    /// <paramref name="keys"/>; null otherwise (malformed, another algorithm, an unknown key, a wrong signature).
    /// </summary>
    public static byte[]? Verify(string jws, IEnumerable<PublicJwk> keys)
    {
        ArgumentNullException.ThrowIfNull(jws);
        string[] parts = jws.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            JwsHeader? header = JsonSerializer.Deserialize<JwsHeader>(Base64Url.DecodeFromChars(parts[0]));
            if (header?.Alg != Algorithm || keys.FirstOrDefault(k => k.Kid == header.Kid) is not { } key) return null;
            using ECDsa ecdsa = key.ToECDsa();
            byte[] signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            return ecdsa.VerifyData(signed, Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256)
                ? Base64Url.DecodeFromChars(parts[1]) : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or CryptographicException)
        {
            return null;
        }
    }

    sealed record JwsHeader(
        [property: JsonPropertyName("alg")] string Alg,
        [property: JsonPropertyName("kid")] string Kid,
        [property: JsonPropertyName("typ")] string Typ,
        [property: JsonPropertyName("cty")] string Cty);
}
