using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Eval.Workflows.Domain;
using Eval.Workflows.Keys;

namespace Eval.UnitTests.Keys;

/// <summary>The local signer, the compact JWS it writes and the key files it keeps (a node test reads the JWS with jose).</summary>
public sealed class StatementSigningTests : IDisposable
{
    readonly string directory = Path.Combine(Path.GetTempPath(), "eval-keys-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task A_signed_payload_verifies_with_the_public_key_and_fails_once_changed()
    {
        using var signer = new LocalStatementSigner(new LocalKeyDirectory(directory));
        byte[] payload = Encoding.UTF8.GetBytes("""{"campaignId":"c","ratings":[{"name":"第1嘎查党支部"}]}""");
        string jws = await signer.SignCompactAsync(payload);

        IReadOnlyList<PublicJwk> keys = await signer.PublicKeysAsync();
        Assert.Equal(payload, CompactJws.Verify(jws, keys));
        string[] parts = jws.Split('.');
        using JsonDocument header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        Assert.Equal("ES256", header.RootElement.GetProperty("alg").GetString());
        Assert.Equal(keys[0].Kid, header.RootElement.GetProperty("kid").GetString());
        Assert.Equal(64, Base64Url.DecodeFromChars(parts[2]).Length); // r || s, not DER

        byte[] changed = [.. payload];
        changed[^3] ^= 1;
        Assert.Null(CompactJws.Verify($"{parts[0]}.{Base64Url.EncodeToString(changed)}.{parts[2]}", keys));
        using var other = new LocalStatementSigner(new LocalKeyDirectory(directory + "-other"));
        try
        {
            Assert.Null(CompactJws.Verify(jws, await other.PublicKeysAsync())); // another key, another kid
        }
        finally { Directory.Delete(directory + "-other", recursive: true); }
    }

    [Fact]
    public async Task Hosts_starting_together_on_one_directory_share_one_key()
    {
        LocalStatementSigner[] signers = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => Task.Run(() => new LocalStatementSigner(new LocalKeyDirectory(directory)))));
        string[] kids = await Task.WhenAll(signers.Select(async s => (await s.ActiveKeyAsync()).Kid));
        Assert.Single(kids.Distinct());
        Assert.Equal([LocalStatementSigner.FileName], Directory.GetFiles(directory).Select(Path.GetFileName));
        foreach (LocalStatementSigner s in signers) s.Dispose();
    }

    [Fact]
    public void The_kid_is_the_RFC_7638_thumbprint()
    {
        // RFC 7638's members in order: {"crv","kty","x","y"}; the same key always gets the same kid.
        byte[] x = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray(), y = Enumerable.Range(33, 32).Select(i => (byte)i).ToArray();
        string expected = Base64Url.EncodeToString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{Base64Url.EncodeToString(x)}\",\"y\":\"{Base64Url.EncodeToString(y)}\"}}")));
        Assert.Equal(expected, PublicJwk.P256(x, y).Kid);
    }

    [Fact]
    public void The_statement_is_canonical_and_reads_back()
    {
        var statement = new RatingsStatement("c1", "红山区2026年度", "chifeng.hongshan", 2026, 2,
            new DateTimeOffset(2026, 12, 7, 14, 0, 0, TimeSpan.FromHours(8)), new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero),
            RatingsStatement.ForChange("chg-1"),
            [new StatementRating("chifeng.hongshan.t01.b001", "第1嘎查党支部", 1, 91.54m, 0.3125m, "strongest")
            {
                CurrentLevel = "none", Status = HonourStatus.Revoked, Since = new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero),
                ReasonCategory = HonourReasons.WeakAndLax,
            }], new StatementAudit(2, 5, "sha256:00"));
        string json = Encoding.UTF8.GetString(statement.ToCanonicalJson());
        Assert.StartsWith("""{"campaignId":"c1","title":"红山区2026年度","unit":"chifeng.hongshan","year":2026,"version":2,""" +
            "\"issuedAt\":\"2026-12-07T06:00:00+00:00\",", json, StringComparison.Ordinal);
        Assert.Contains("\"score\":91.54,\"unityShare\":0.3125,\"level\":\"strongest\",\"currentLevel\":\"none\",\"status\":\"revoked\",",
            json, StringComparison.Ordinal);
        Assert.DoesNotContain(" ", json.Replace("红山区2026年度", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(json, Encoding.UTF8.GetString(RatingsStatement.FromJson(statement.ToCanonicalJson())!.ToCanonicalJson()));
    }
}
