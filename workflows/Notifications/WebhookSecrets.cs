using System.Security.Cryptography;
using System.Text;
using Eval.Workflows.Outbox;

namespace Eval.Workflows.Notifications;

/// <summary>
/// A subscription's signing secret, as Standard Webhooks writes one: "whsec_" and the base64 of 32 random bytes. It is
/// shown once, when it is made; the table keeps it sealed (<see cref="SecretSealer"/>) and the API never answers it again.
/// </summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";
    public const int Bytes = 32;

    public static string New() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(Bytes));
}

/// <summary>
/// Seals the subscriptions' secrets for the table: AES-256-GCM under a key derived from the outbox binding key
/// (<see cref="OutboxBinding.DeriveKey"/>; in Azure a Key Vault secret, kept for good), with the subscription's id as
/// associated data, so a sealed secret copied onto another subscription's row does not open. Someone who reads the table
/// but not the app's settings learns no secret.
/// </summary>
public sealed class SecretSealer
{
    const string Version = "v1";
    const int NonceBytes = 12, TagBytes = 16;

    readonly byte[] key;

    public SecretSealer(OutboxBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        key = binding.DeriveKey("eval/webhook-secrets/v1");
    }

    public string Seal(string secret, string subscriptionId)
    {
        byte[] plain = Encoding.UTF8.GetBytes(secret);
        byte[] sealedBytes = new byte[NonceBytes + plain.Length + TagBytes];
        Span<byte> nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length),
            Encoding.UTF8.GetBytes(subscriptionId));
        return Version + ":" + Convert.ToBase64String(sealedBytes);
    }

    /// <exception cref="CryptographicException">Not sealed by this app for this subscription.</exception>
    public string Open(string sealedSecret, string subscriptionId)
    {
        ArgumentNullException.ThrowIfNull(sealedSecret);
        if (!sealedSecret.StartsWith(Version + ":", StringComparison.Ordinal))
            throw new CryptographicException("Not a sealed secret of this version.");
        byte[] sealedBytes = Convert.FromBase64String(sealedSecret[(Version.Length + 1)..]);
        if (sealedBytes.Length < NonceBytes + TagBytes) throw new CryptographicException("A sealed secret too short.");
        int length = sealedBytes.Length - NonceBytes - TagBytes;
        byte[] plain = new byte[length];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, length), sealedBytes.AsSpan(NonceBytes + length),
            plain, Encoding.UTF8.GetBytes(subscriptionId));
        return Encoding.UTF8.GetString(plain);
    }
}
