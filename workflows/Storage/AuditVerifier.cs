using System.Text.Json;
using Eval.Workflows.Domain;

namespace Eval.Workflows.Storage;

public sealed record AuditBreak(string Chain, int Seq, string Problem);

/// <param name="Files">The verified evidence files whose stored bytes were checked against their recorded SHA-256.</param>
public sealed record AuditVerification(bool Intact, int Chains, int Links, AuditBreak? FirstBreak, int Files = 0);

/// <summary>
/// Recomputes a campaign's audit chains from storage: every link's hash, every link's pointer to the one
/// before, the numbering (a gap is a removed link), each evaluation chain's length against the evaluation's
/// record (a removed tail), the published list against the hash its publication link holds, and every verified
/// evidence file's bytes against the SHA-256 recorded (and sealed in the chain by the submission that cites it).
/// </summary>
public sealed class AuditVerifier(AuditStore audit, EvaluationStore evaluations, RatingStore ratings, EvidenceStore evidence,
    EvidenceBlobs blobs)
{
    public async Task<AuditVerification> VerifyAsync(string campaignId, bool published, CancellationToken ct = default)
    {
        // Records before links: a link is written before the record that counts it, so every link a record read here
        // counts is in the read that follows, while evaluations may go on deciding in between.
        var seqs = new Dictionary<string, (int Seq, bool Done, string? Head)>(StringComparer.Ordinal);
        string[] columns = ["RowKey", "Seq", "Stage", "AuditHead"];
        await foreach (var e in evaluations.Query(campaignId, null, null, select: columns, pageSize: 1000).WithCancellation(ct))
            seqs[e.RowKey] = (e.GetInt32("Seq") ?? 0, e.GetString("Stage") == Stages.Done, e.GetString("AuditHead"));
        var rows = await audit.ReadAllAsync(campaignId, ct);
        var chains = rows.GroupBy(r => r.RowKey[..r.RowKey.LastIndexOf('|')], StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToList();

        foreach (string branch in seqs.Keys.Where(b => chains.All(c => c.Key != b)).Order(StringComparer.Ordinal))
            return Broken(chains, rows.Count, new AuditBreak(branch, 0, "the evaluation has no audit chain"));

        foreach (var chain in chains)
        {
            string prev = AuditEntry.Genesis;
            int expected = 0;
            AuditEntry? last = null;
            string? headHash = null;
            (int Seq, bool Done, string? Head)? record =
                chain.Key != AuditEntry.CampaignChain && seqs.TryGetValue(chain.Key, out var r) ? r : null;
            foreach (var (rowKey, text, hash) in chain.OrderBy(r => r.RowKey, StringComparer.Ordinal))
            {
                int seq = int.Parse(rowKey[(rowKey.LastIndexOf('|') + 1)..]);
                if (seq != expected) return Broken(chains, rows.Count, new AuditBreak(chain.Key, expected, $"link {expected} is missing"));
                AuditEntry? entry = Parse(text);
                if (entry is null) return Broken(chains, rows.Count, new AuditBreak(chain.Key, seq, "the link is unreadable"));
                if (entry.Chain != chain.Key || entry.Seq != seq || entry.CampaignId != campaignId)
                    return Broken(chains, rows.Count,
                        new AuditBreak(chain.Key, seq, "the link is stored in the wrong place (moved or reordered)"));
                if (AuditEntry.HashOf(text!) != hash || entry.Hash() != hash)
                    return Broken(chains, rows.Count,
                        new AuditBreak(chain.Key, seq, "the link's content does not match its hash (edited)"));
                if (entry.PrevHash != prev)
                    return Broken(chains, rows.Count, new AuditBreak(chain.Key, seq, "the link does not point at the one before it"));
                prev = hash!;
                last = entry;
                if (seq == record?.Seq) headHash = hash;
                expected++;
            }
            if (record is { Seq: var n, Done: var done, Head: var head })
            {
                // A finished evaluation decides nothing more; a running one may have linked its next decision already.
                if (expected - 1 < n || (done && expected - 1 != n))
                    return Broken(chains, rows.Count,
                        new AuditBreak(chain.Key, expected, $"the evaluation records {n + 1} decisions, the chain {expected}"));
                if (head is not null && head != headHash)
                    return Broken(chains, rows.Count,
                        new AuditBreak(chain.Key, n, "the evaluation's record points at another link than the chain holds"));
            }
            if (chain.Key == AuditEntry.CampaignChain && published && last?.Action == HistoryActions.Published &&
                last.Detail != await PublishedListHashAsync(ratings, campaignId, ct))
                return Broken(chains, rows.Count,
                    new AuditBreak(chain.Key, last.Seq, "the published ratings differ from those the chain sealed"));
        }
        var (files, altered) = await VerifyEvidenceAsync(campaignId, rows, ct);
        return new AuditVerification(altered is null, chains.Count, rows.Count, altered, files);
    }

    /// <summary>
    /// Each verified file against its blob: one listing gives every blob's ETag; only a blob written since it was verified
    /// is read and hashed again. A break names the link that sealed the file (0 when no submission cited it).
    /// </summary>
    async Task<(int Files, AuditBreak? Altered)> VerifyEvidenceAsync(string campaignId,
        List<(string RowKey, string? Entry, string? Hash)> rows, CancellationToken ct)
    {
        IReadOnlyDictionary<string, Azure.ETag> etags = await blobs.VerifiedETagsAsync(campaignId, ct);
        int files = 0;
        await foreach (EvidenceFile file in evidence.VerifiedAsync(campaignId, ct))
        {
            files++;
            Azure.ETag? etag = etags.TryGetValue(file.BlobName, out Azure.ETag listed) ? listed : null;
            if (await blobs.DifferenceAsync(file, etag, ct) is not { } difference) continue;
            string problem = $"evidence {file.Id} {difference}";
            int sealedBy = rows
                .Where(r => r.RowKey.StartsWith(file.BranchId + "|", StringComparison.Ordinal) && r.Entry?.Contains(file.Id) == true)
                .Select(r => int.Parse(r.RowKey[(r.RowKey.LastIndexOf('|') + 1)..])).DefaultIfEmpty(0).Min();
            return (files, new AuditBreak(file.BranchId, sealedBy, problem));
        }
        return (files, null);
    }

    /// <summary>SHA-256 of the published list in rank order (branch, score, share, rank, level).</summary>
    public static async Task<string> PublishedListHashAsync(RatingStore ratings, string campaignId, CancellationToken ct = default)
    {
        List<RankedBranch> list = await ratings.ReadPublishedAsync(campaignId, ct);
        return "sha256:" + AuditEntry.HashOf(JsonSerializer.Serialize(list
            .OrderBy(r => r.Rank).ThenBy(r => r.BranchId, StringComparer.Ordinal)
            .Select(r => new object[] { r.BranchId, r.Score, r.UnityShare, r.Rank, r.Level })));
    }

    static AuditEntry? Parse(string? text)
    {
        if (text is null) return null;
        try { return JsonSerializer.Deserialize<AuditEntry>(text, Json.Options); }
        catch (JsonException) { return null; }
    }

    static AuditVerification Broken<T>(List<T> chains, int links, AuditBreak at) => new(false, chains.Count, links, at);
}
