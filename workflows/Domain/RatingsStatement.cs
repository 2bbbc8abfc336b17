using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Eval.Workflows.Domain;

/// <summary>
/// A campaign's list as signed (the payload of GET /api/campaigns/{cid}/ratings.jws): every published rating with its
/// honour's standing when the statement was issued, and the audit chains' heads it seals. A new version is issued at
/// publication and at every change of an honour; <see cref="Reason"/> says which.
/// </summary>
public sealed record RatingsStatement(string CampaignId, string Title, string Unit, int Year, int Version, DateTimeOffset IssuedAt,
    DateTimeOffset PublishedAt, string Reason, IReadOnlyList<StatementRating> Ratings, StatementAudit Audit)
{
    public const string Published = "published";

    /// <summary>The reason of a statement issued for a change of an honour.</summary>
    public static string ForChange(string changeId) => "honour-change:" + changeId;

    /// <summary>The reason of a statement issued because a later campaign's list superseded titles of this one.</summary>
    public static string Superseded(string byCampaign) => "superseded-by:" + byCampaign;

    static readonly JsonSerializerOptions CanonicalOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Names in any script as they are (UTF-8), escaping only what JSON requires.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// The canonical bytes (docs/storage.md, "Statements"): UTF-8 JSON, members in declaration order, camelCase, no
    /// whitespace, absent members left out, times in UTC, numbers as stored (two decimals for scores).
    /// </summary>
    public byte[] ToCanonicalJson() => JsonSerializer.SerializeToUtf8Bytes(Normalized(), CanonicalOptions);

    public static RatingsStatement? FromJson(byte[] json) => JsonSerializer.Deserialize<RatingsStatement>(json, CanonicalOptions);

    RatingsStatement Normalized() => this with
    {
        IssuedAt = IssuedAt.ToUniversalTime(), PublishedAt = PublishedAt.ToUniversalTime(),
        Ratings = [.. Ratings.Select(r => r with { Since = r.Since?.ToUniversalTime(), ValidUntil = r.ValidUntil?.ToUniversalTime() })],
    };
}

/// <summary>
/// One branch of a signed list: its place as published, and for a branch that carries a title, the honour's level now,
/// status, since when, until when and the reason's category.
/// </summary>
public sealed record StatementRating(string BranchId, string Name, int Rank, decimal Score, decimal UnityShare, string Level)
{
    public string? CurrentLevel { get; init; }
    public string? Status { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? ValidUntil { get; init; }
    public string? ReasonCategory { get; init; }

    public static StatementRating Of(RankedBranch rating, Honour? honour) =>
        new StatementRating(rating.BranchId, rating.BranchName, rating.Rank, rating.Score, rating.UnityShare, rating.Level)
            .Showing(honour);

    /// <summary>This entry with the honour's standing as the register holds it (none without one).</summary>
    public StatementRating Showing(Honour? honour) => this with
    {
        CurrentLevel = honour?.CurrentLevel, Status = honour?.Status, Since = honour?.Since, ValidUntil = honour?.ValidUntil,
        ReasonCategory = honour?.ReasonCategory,
    };
}

/// <summary>
/// What the statement seals of the audit chains: how many there are, the campaign chain's link it was issued after, the
/// honour changes' chains with the link each was issued after, and <see cref="Root"/> over every chain's head
/// (<see cref="AuditHeads.Root"/>).
/// </summary>
public sealed record StatementAudit(int Chains, int CampaignSeq, string Root)
{
    /// <summary>Each honour change's chain (named by the change's id) and its last link then, by name; absent when none.</summary>
    public IReadOnlyList<SealedChain>? Changes { get; init; }
}

/// <summary>A chain that grows after a statement, and the link the statement sealed it at.</summary>
public sealed record SealedChain(string Chain, int Seq);

/// <summary>The chain heads a statement seals, in one digest.</summary>
public static class AuditHeads
{
    /// <summary>
    /// "sha256:" and the SHA-256 of one line per chain, "{chain} {seq} {hash}\n", in ordinal order of the chain's name.
    /// </summary>
    public static string Root(IEnumerable<(string Chain, int Seq, string Hash)> heads)
    {
        var text = new StringBuilder();
        foreach (var (chain, seq, hash) in heads.OrderBy(h => h.Chain, StringComparer.Ordinal))
            text.Append(chain).Append(' ').Append(seq.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Append(' ').Append(hash).Append('\n');
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
