using System.Security.Cryptography;

namespace Eval.Workflows.Keys;

/// <summary>
/// The local host's signing key: a P-256 key in the key directory (<c>signing.p8</c>, PKCS#8), made on first use. Every
/// host on the machine's directory signs with it, so lists signed by one verify against the keys any of them serves.
/// </summary>
public sealed class LocalStatementSigner : StatementSigner, IDisposable
{
    public const string FileName = "signing.p8";

    readonly ECDsa key;
    readonly PublicJwk jwk;

    public LocalStatementSigner(LocalKeyDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        byte[] pkcs8 = directory.GetOrCreate(FileName, () =>
        {
            using ECDsa made = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            return made.ExportPkcs8PrivateKey();
        });
        key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(pkcs8, out _);
        ECParameters p = key.ExportParameters(includePrivateParameters: false);
        jwk = PublicJwk.P256(p.Q.X!, p.Q.Y!);
    }

    public override Task<PublicJwk> ActiveKeyAsync(CancellationToken ct = default) => Task.FromResult(jwk);

    public override Task<IReadOnlyList<PublicJwk>> PublicKeysAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<PublicJwk>>([jwk]);

    protected override Task<byte[]> SignAsync(PublicJwk key, byte[] data, CancellationToken ct) =>
        Task.FromResult(this.key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    public void Dispose() => key.Dispose();
}
