using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Eval.Workflows.Domain;

/// <summary>
/// One link of a tamper-evident audit chain (留痕): a decision and the SHA-256 of the link before it. Each
/// evaluation has its chain (Chain = branch id), and the campaign one of its own (objections, resolutions, the
/// published list). Changing, removing or reordering a stored link breaks every hash after it.
/// A link may also hold the digest of the decision it records (<see cref="Content"/>, <see cref="AuditContent"/>): the
/// submission, review, score, result or list itself, which the verifier recomputes from the tables.
/// </summary>
public sealed record AuditEntry(string CampaignId, string Chain, int Seq, DateTimeOffset Time, string Actor, string Role,
    string Action, string? Detail, string PrevHash)
{
    public const string CampaignChain = "campaign";
    public static readonly string Genesis = new('0', 64);

    /// <summary>
    /// "sha256:" and the digest of the decision's content (<see cref="AuditContent"/>); after prevHash in the canonical
    /// JSON, and left out when null, so links written before it existed hash as they did.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Content { get; init; }

    static readonly JsonSerializerOptions Canonical = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The canonical JSON: these properties in this order, camelCase, UTC times in round-trip format.</summary>
    public string ToCanonicalJson() => JsonSerializer.Serialize(this with { Time = Time.ToUniversalTime() }, Canonical);

    public string Hash() => HashOf(ToCanonicalJson());

    public static string HashOf(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
