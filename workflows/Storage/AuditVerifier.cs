using System.Text.Json;
using Eval.Workflows.Domain;
using Eval.Workflows.Outbox;

namespace Eval.Workflows.Storage;

public sealed record AuditBreak(string Chain, int Seq, string Problem);

/// <param name="Files">The verified evidence files whose stored bytes were checked against their recorded SHA-256.</param>
public sealed record AuditVerification(bool Intact, int Chains, int Links, AuditBreak? FirstBreak, int Files = 0);

/// <summary>
/// Recomputes a campaign's audit chains from storage: every link's hash, every link's pointer to the one before, the
/// numbering (a gap is a removed link), each evaluation chain's length against the evaluation's record (a removed tail),
/// one chain per evaluation and as many as the campaign started (an evaluation removed with its chain), each stored
/// decision (the latest submission and review, every score, the appraisal, the result) against the content digest of
/// the link that recorded it, the proposed list during the notice against its last list link, the published list
/// against the published link (required once published), each honour change's chain against its row (one chain per change
/// past its proposal, opened by the proposal, its decision and application as the row holds them), the outbox entries'
/// bindings to their claims, and every verified evidence file's bytes against the SHA-256 recorded (and sealed in the
/// chain by the submission that cites it).
/// </summary>
public sealed class AuditVerifier(AuditStore audit, EvaluationStore evaluations, RatingStore ratings, EvidenceStore evidence,
    EvidenceBlobs blobs, HonourChangeStore changes, OutboxBinding? binding = null)
{
    /// <summary>Verifies the chains alone, for a campaign in the given state without its record's other facts.</summary>
    public Task<AuditVerification> VerifyAsync(string campaignId, bool published, CancellationToken ct = default) =>
        VerifyAsync(campaignId, published ? CampaignStatus.Published : CampaignStatus.Running, null, ct);

    /// <summary>Verifies the campaign's chains against its record (status, number of evaluations, kept publication request).</summary>
    public Task<AuditVerification> VerifyAsync(CampaignRecord campaign, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return VerifyAsync(campaign.Definition.Id, campaign.Status, campaign, ct);
    }

    async Task<AuditVerification> VerifyAsync(string campaignId, string status, CampaignRecord? campaign, CancellationToken ct)
    {
        // Records before links: a link is written before the record that counts it, so every link a record read here
        // counts is in the read that follows, while evaluations may go on deciding in between.
        var records = new Dictionary<string, EvaluationRecord>(StringComparer.Ordinal);
        await foreach (var e in evaluations.Query(campaignId, null, null, pageSize: 1000).WithCancellation(ct))
            records[e.RowKey] = EvaluationStore.FromEntity(e);
        var changeRows = new Dictionary<string, HonourChange>(StringComparer.Ordinal);
        await foreach (HonourChange change in changes.ReadCampaignAsync(campaignId, ct)) changeRows[change.Id] = change;
        var rows = await audit.ReadAllAsync(campaignId, ct);
        var chains = rows.GroupBy(r => r.RowKey[..r.RowKey.LastIndexOf('|')], StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        AuditVerification Broken(string chain, int seq, string problem) =>
            new(false, chains.Count, rows.Count, new AuditBreak(chain, seq, problem));

        foreach (string branch in records.Keys.Where(b => chains.All(c => c.Key != b)).Order(StringComparer.Ordinal))
            return Broken(branch, 0, "the evaluation has no audit chain");
        foreach (var chain in chains.Where(c => IsEvaluationChain(c.Key) && !records.ContainsKey(c.Key)))
            return Broken(chain.Key, 0, "the chain's evaluation has no record (removed)");
        foreach (var chain in chains.Where(c => HonourChangeIds.IsValid(c.Key) && !changeRows.ContainsKey(c.Key)))
            return Broken(chain.Key, 0, "the chain's honour change has no record (removed)");
        int evaluationChains = chains.Count(c => IsEvaluationChain(c.Key));
        if (campaign?.BranchCount is { } started && evaluationChains != started)
            return Broken(AuditEntry.CampaignChain, 0,
                $"the campaign started {started} evaluations, the tables hold {evaluationChains} (an evaluation removed with its chain)");

        List<AuditEntry> campaignLinks = [];
        bool decisionsHoldContent = false;
        foreach (var chain in chains)
        {
            string prev = AuditEntry.Genesis;
            var links = new List<AuditEntry>();
            string? headHash = null;
            EvaluationRecord? record = IsEvaluationChain(chain.Key) ? records[chain.Key] : null;
            foreach (var (rowKey, text, hash) in chain.OrderBy(r => r.RowKey, StringComparer.Ordinal))
            {
                int seq = int.Parse(rowKey[(rowKey.LastIndexOf('|') + 1)..]);
                int expected = links.Count;
                if (seq != expected) return Broken(chain.Key, expected, $"link {expected} is missing");
                AuditEntry? entry = Parse(text);
                if (entry is null) return Broken(chain.Key, seq, "the link is unreadable");
                if (entry.Chain != chain.Key || entry.Seq != seq || entry.CampaignId != campaignId)
                    return Broken(chain.Key, seq, "the link is stored in the wrong place (moved or reordered)");
                if (AuditEntry.HashOf(text!) != hash || entry.Hash() != hash)
                    return Broken(chain.Key, seq, "the link's content does not match its hash (edited)");
                if (entry.PrevHash != prev) return Broken(chain.Key, seq, "the link does not point at the one before it");
                prev = hash!;
                links.Add(entry);
                if (seq == record?.Seq) headHash = hash;
            }
            if (changeRows.GetValueOrDefault(chain.Key) is { } changed)
            {
                if (ChangeBreak(changed, links) is { } broken) return Broken(chain.Key, broken.Seq, broken.Problem);
                continue;
            }
            if (record is null)
            {
                campaignLinks = links;
                continue;
            }
            // A finished evaluation decides nothing more; a running one may have linked its next decision already.
            int n = record.Seq;
            if (links.Count - 1 < n || (record.Stage == Stages.Done && links.Count - 1 != n))
                return Broken(chain.Key, links.Count, $"the evaluation records {n + 1} decisions, the chain {links.Count}");
            if (record.AuditHead is { } head && head != headHash)
                return Broken(chain.Key, n, "the evaluation's record points at another link than the chain holds");
            decisionsHoldContent |= links.Any(l => l.Content is not null);
            foreach (ExpectedContent content in AuditContent.Expected(record, links))
            {
                string? held = links[content.Seq].Content;
                if (held is null || content.Candidates.Contains(held)) continue;
                return Broken(chain.Key, content.Seq, content.Candidates.Count == 0
                    ? $"the evaluation's record no longer holds the {content.What} this link recorded"
                    : $"the stored {content.What} differs from what this link recorded (edited)");
            }
        }
        if (Unchained(changeRows.Values, chains.Select(c => c.Key), campaignLinks) is { } unchained)
            return Broken(unchained.Id, 0, $"the honour change is {unchained.Status} but has no audit chain (removed)");
        if (await CampaignListsAsync(campaignId, status, campaignLinks, decisionsHoldContent, ct) is { } list)
            return Broken(AuditEntry.CampaignChain, list.Seq, list.Problem);
        if (Unbound(records.Values, campaign) is { } unbound) return Broken(unbound.Chain, unbound.Seq, unbound.Problem);
        var (files, altered) = await VerifyEvidenceAsync(campaignId, rows, ct);
        return new AuditVerification(altered is null, chains.Count, rows.Count, altered, files);
    }

    static bool IsEvaluationChain(string chain) => chain != AuditEntry.CampaignChain && !HonourChangeIds.IsValid(chain);

    /// <summary>
    /// A change's chain against its row: the proposal first, and its decision and application as the row holds them (an
    /// edited reason, evidence, decision or level breaks the link that recorded it).
    /// </summary>
    static (int Seq, string Problem)? ChangeBreak(HonourChange change, List<AuditEntry> links)
    {
        if (links[0].Action != HonourChangeActions.Proposed) return (0, "the honour change's chain does not open with its proposal");
        foreach (AuditEntry link in links)
        {
            if (HonourChangeAudit.ExpectedDetail(change, link.Action) is { } expected && link.Detail != expected)
                return (link.Seq, $"the stored honour change differs from what this link ({link.Action}) recorded (edited)");
        }
        return null;
    }

    /// <summary>
    /// A change past its proposal without a chain of its own. A proposal is stored, then linked, so one still proposed may
    /// lack it for a moment; changes made before each had its chain were linked into the campaign's chain instead.
    /// </summary>
    static HonourChange? Unchained(IEnumerable<HonourChange> changes, IEnumerable<string> chainNames, List<AuditEntry> campaignLinks)
    {
        var chained = new HashSet<string>(chainNames, StringComparer.Ordinal);
        foreach (AuditEntry link in campaignLinks.Where(l => l.Action == HonourChangeActions.Proposed))
            if (link.Detail is { } detail && ChangeIdOf(detail) is { } id) chained.Add(id);
        return changes.Where(c => c.Status != HonourChangeStatus.Proposed || c.Decision is not null)
            .Where(c => !chained.Contains(c.Id)).OrderBy(c => c.Id, StringComparer.Ordinal).FirstOrDefault();
    }

    /// <summary>The change a link's detail names (<see cref="HonourChangeAudit.Detail"/>), or null.</summary>
    static string? ChangeIdOf(string detail)
    {
        try { return System.Text.Json.Nodes.JsonNode.Parse(detail)?["change"]?.GetValue<string>(); }
        catch (Exception e) when (e is JsonException or InvalidOperationException) { return null; }
    }

    /// <summary>
    /// The lists the campaign chain seals: once published, the published link must be there and hold the published list's
    /// digest; during the notice, the stored proposed list must be the one its last list link holds (required when the
    /// evaluations' links hold content: the campaign ran on code that links its lists).
    /// </summary>
    async Task<(int Seq, string Problem)?> CampaignListsAsync(string campaignId, string status, List<AuditEntry> links,
        bool listsLinked, CancellationToken ct)
    {
        if (status == CampaignStatus.Published)
        {
            AuditEntry? published = links.LastOrDefault(l => l.Action == HistoryActions.Published);
            if (published is null) return (links.Count, "the campaign is published but its chain holds no published link (removed)");
            if (published.Detail != await PublishedListHashAsync(ratings, campaignId, ct))
                return (published.Seq, "the published ratings differ from those the chain sealed");
        }
        else if (status == CampaignStatus.Publicity)
        {
            AuditEntry? listed = links.LastOrDefault(l => HistoryActions.ListActions.Contains(l.Action));
            if (listed is null)
                return listsLinked ? (links.Count, "the proposed list has no link in the campaign's chain (removed)") : null;
            if (listed.Content != AuditContent.OfRatings(await ratings.ReadProposedAsync(campaignId, ct)))
                return (listed.Seq, "the proposed ratings differ from those the chain sealed last");
        }
        return null;
    }

    /// <summary>
    /// An outbox entry not yet taken in whose binding to its claim does not hold (it is never raised again), an urging or
    /// extension kept for its workflow whose binding does not hold (neither), or the running campaign's kept publication
    /// request whose binding does not hold.
    /// </summary>
    AuditBreak? Unbound(IEnumerable<EvaluationRecord> records, CampaignRecord? campaign)
    {
        if (binding is null) return null;
        foreach (EvaluationRecord record in records.OrderBy(r => r.BranchId, StringComparer.Ordinal))
        {
            foreach (AcceptedAction action in record.UnsettledActions())
                if (!binding.Holds(record.CampaignId, record.BranchId, action))
                    return new AuditBreak(record.BranchId, record.Seq,
                        $"the outbox holds {action.Event} ({action.Claim}) that is not bound to its claim " +
                        "(written outside the API, or before entries were bound): it is not raised");
            foreach (PendingSupervision pending in record.UnsettledSupervision())
                if (!binding.Holds(record.CampaignId, record.BranchId, pending))
                    return new AuditBreak(record.BranchId, record.Seq,
                        $"the record keeps the {pending.Action.Kind} {pending.Action.Id} that is not bound to it " +
                        "(written outside the API): it is not raised");
        }
        if (campaign is { Status: CampaignStatus.Running, PublicationRequest: { } request }
            && !binding.Holds(campaign.Definition.Id, campaign.PublicationOperation, request, campaign.PublicationRequestMac))
            return new AuditBreak(AuditEntry.CampaignChain, 0,
                "the campaign's kept publication request is not bound to its claim (written outside the API): it is not raised");
        return null;
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
    public static async Task<string> PublishedListHashAsync(RatingStore ratings, string campaignId, CancellationToken ct = default) =>
        AuditContent.OfRatings(await ratings.ReadPublishedAsync(campaignId, ct));

    static AuditEntry? Parse(string? text)
    {
        if (text is null) return null;
        try { return JsonSerializer.Deserialize<AuditEntry>(text, Json.Options); }
        catch (JsonException) { return null; }
    }
}
