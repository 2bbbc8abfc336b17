using Azure.Core;
using Azure.Security.KeyVault.Keys;
using Azure.Security.KeyVault.Keys.Cryptography;

namespace Eval.Workflows.Keys;

/// <summary>
/// Signs through Key Vault with the app's identity (role Key Vault Crypto User on the key): the private key never leaves
/// the vault. The active key is the key's current version, looked up again every <see cref="KeyCacheAge"/>, so a rotation
/// takes effect without a restart; every enabled version's public key stays in the JWK Set.
/// </summary>
public sealed class VaultStatementSigner(Uri keyId, TokenCredential credential) : StatementSigner
{
    static readonly TimeSpan KeyCacheAge = TimeSpan.FromMinutes(5);

    readonly KeyClient client = new(new Uri(keyId.GetLeftPart(UriPartial.Authority)), credential);
    readonly string name = keyId.Segments is [_, _, var n, ..] ? n.TrimEnd('/')
        : throw new ArgumentException($"'{keyId}' is not a Key Vault key URI (https://{{vault}}.vault.azure.net/keys/{{name}}).");
    readonly SemaphoreSlim refresh = new(1, 1);
    (DateTimeOffset At, KeyVaultKey Key, PublicJwk Jwk)? active;
    (DateTimeOffset At, IReadOnlyList<PublicJwk> Keys)? all;

    public override async Task<PublicJwk> ActiveKeyAsync(CancellationToken ct = default) => (await ActiveAsync(ct)).Jwk;

    public override async Task<IReadOnlyList<PublicJwk>> PublicKeysAsync(CancellationToken ct = default)
    {
        if (all is { } cached && DateTimeOffset.UtcNow - cached.At < KeyCacheAge) return cached.Keys;
        var keys = new List<PublicJwk>();
        await foreach (KeyProperties version in client.GetPropertiesOfKeyVersionsAsync(name, ct))
            if (version.Enabled == true)
                keys.Add(Jwk(await client.GetKeyAsync(name, version.Version, ct)));
        all = (DateTimeOffset.UtcNow, keys);
        return keys;
    }

    protected override async Task<byte[]> SignAsync(PublicJwk key, byte[] data, CancellationToken ct)
    {
        var (_, vaultKey, _) = await ActiveAsync(ct);
        var crypto = new CryptographyClient(vaultKey.Id, credential);
        return (await crypto.SignDataAsync(SignatureAlgorithm.ES256, data, ct)).Signature;
    }

    async Task<(DateTimeOffset At, KeyVaultKey Key, PublicJwk Jwk)> ActiveAsync(CancellationToken ct)
    {
        if (active is { } cached && DateTimeOffset.UtcNow - cached.At < KeyCacheAge) return cached;
        await refresh.WaitAsync(ct);
        try
        {
            if (active is { } again && DateTimeOffset.UtcNow - again.At < KeyCacheAge) return again;
            KeyVaultKey key = await client.GetKeyAsync(name, cancellationToken: ct);
            active = (DateTimeOffset.UtcNow, key, Jwk(key));
            return active.Value;
        }
        finally { refresh.Release(); }
    }

    static PublicJwk Jwk(KeyVaultKey key) => key.Key.KeyType == KeyType.Ec || key.Key.KeyType == KeyType.EcHsm
        ? PublicJwk.P256(key.Key.X, key.Key.Y)
        : throw new InvalidOperationException($"Key Vault key {key.Id} is {key.Key.KeyType}, not an EC P-256 key.");
}
