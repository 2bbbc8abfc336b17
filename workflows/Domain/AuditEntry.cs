using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Eval.Workflows.Domain;

/// <summary>
/// One link of a tamper-evident audit chain (留痕): a decision and the SHA-256 of the link before it. Each
/// evaluation has its chain (Chain = branch id), and the campaign one of its own (objections, resolutions, the
/// published list). Changing, removing or reordering a stored link breaks every hash after it.
/// </summary>
public sealed record AuditEntry(string CampaignId, string Chain, int Seq, DateTimeOffset Time, string Actor, string Role,
    string Action, string? Detail, string PrevHash)
{
    public const string CampaignChain = "campaign";
    public static readonly string Genesis = new('0', 64);

    static readonly JsonSerializerOptions Canonical = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The canonical JSON: these properties in this order, camelCase, UTC times in round-trip format.</summary>
    public string ToCanonicalJson() => JsonSerializer.Serialize(this with { Time = Time.ToUniversalTime() }, Canonical);

    public string Hash() => HashOf(ToCanonicalJson());

    public static string HashOf(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
