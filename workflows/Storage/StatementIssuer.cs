using System.Buffers.Text;
using System.Collections.Concurrent;
using Eval.Workflows.Domain;
using Eval.Workflows.Keys;

namespace Eval.Workflows.Storage;

/// <summary>
/// Issues a campaign's signed list: the published ratings joined with the honours register as stored now, and the audit
/// chains' heads, serialized canonically, signed (ES256) and kept as the next version. Issuing again for a reason already
/// issued returns that statement, so a repeated activity signs nothing twice. A change of one branch's honour is signed
/// by the newest list once it shows the branch as the register does: of many changes applied together, the first signing
/// covers those applied before it read the register, and the rest, let in one at a time, find themselves signed.
/// </summary>
public sealed class StatementIssuer(CampaignStore campaigns, RatingStore ratings, HonourStore honours, EvaluationStore evaluations,
    AuditStore audit, StatementStore statements, StatementSigner signer, TimeProvider clock)
{
    // One signing at a time per campaign in this process. Of many changes applied together, each read the register before
    // the others' list was stored, so without it each built and signed the whole list, only to lose the race for the
    // version to the first; let in one after another, the rest find themselves in the list the first stored.
    readonly ConcurrentDictionary<string, SemaphoreSlim> gates = new(StringComparer.Ordinal);
    // The newest statement read per campaign (its version and ratings by branch), so that each change's check does not
    // download and parse the whole signed list again.
    readonly ConcurrentDictionary<string, (int Version, Dictionary<string, StatementRating> Ratings)> newestRead =
        new(StringComparer.Ordinal);

    public async Task<StatementRecord> IssueAsync(string campaignId, string reason, string? branchId = null,
        CancellationToken ct = default)
    {
        SemaphoreSlim gate = gates.GetOrAdd(campaignId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            return await IssueOnceAsync(campaignId, reason, branchId, ct);
        }
        finally
        {
            gate.Release();
        }
    }

    async Task<StatementRecord> IssueOnceAsync(string campaignId, string reason, string? branchId, CancellationToken ct)
    {
        while (true)
        {
            if (await statements.FindAsync(campaignId, reason, ct) is { } issued) return await RecordVersionAsync(issued, ct);
            StatementRecord? newest = await statements.GetNewestAsync(campaignId, ct);
            if (branchId is not null && newest is not null && await ShowsAsRegisteredAsync(newest, branchId, ct))
                return await RecordVersionAsync(newest, ct);
            var (campaign, _) = await campaigns.GetAsync(campaignId, ct)
                ?? throw new InvalidOperationException($"No campaign '{campaignId}'.");
            if (campaign.PublishedAt is not { } publishedAt)
                throw new InvalidOperationException($"Campaign '{campaignId}' is not published: it has no list to sign.");
            int version = (newest?.Version ?? 0) + 1;
            RatingsStatement statement = await BuildAsync(campaign, publishedAt, version, reason, ct);
            byte[] payload = statement.ToCanonicalJson();
            string jws = await signer.SignCompactAsync(payload, ct);
            string sha = StatementStore.Digest(System.Text.Encoding.ASCII.GetBytes(jws));
            var record = new StatementRecord(campaignId, version, StatementStore.BlobName(campaignId, version, sha), sha,
                (await signer.ActiveKeyAsync(ct)).Kid, statement.IssuedAt, reason, statement.Audit.Chains, statement.Audit.CampaignSeq,
                statement.Audit.Root);
            if (await statements.TryAddAsync(record, jws, ct))
            {
                newestRead[campaignId] = (version, ByBranch(statement));
                return await RecordVersionAsync(record, ct);
            }
            // Another process took this version first: sign again what is stored now.
        }
    }

    /// <summary>Whether <paramref name="signed"/> shows the branch's honour as the register holds it now.</summary>
    async Task<bool> ShowsAsRegisteredAsync(StatementRecord signed, string branchId, CancellationToken ct)
    {
        if (!newestRead.TryGetValue(signed.CampaignId, out var read) || read.Version != signed.Version)
        {
            if (await statements.ReadJwsAsync(signed, ct) is not { } jws
                || RatingsStatement.FromJson(Base64Url.DecodeFromChars(jws.Split('.')[1])) is not { } statement) return false;
            newestRead[signed.CampaignId] = read = (signed.Version, ByBranch(statement));
        }
        if (await honours.GetAsync(signed.CampaignId, branchId, ct) is not var (honour, _)) return false;
        return read.Ratings.GetValueOrDefault(branchId) is { } entry && entry == entry.Showing(honour);
    }

    static Dictionary<string, StatementRating> ByBranch(RatingsStatement statement) =>
        statement.Ratings.ToDictionary(r => r.BranchId, StringComparer.Ordinal);

    /// <summary>The list as signed for <paramref name="version"/>: what is stored now.</summary>
    async Task<RatingsStatement> BuildAsync(CampaignRecord campaign, DateTimeOffset publishedAt, int version, string reason,
        CancellationToken ct)
    {
        string id = campaign.Definition.Id;
        List<RankedBranch> list = await ratings.ReadPublishedAsync(id, ct);
        Dictionary<string, Honour> register =
            (await honours.ReadCampaignAsync(id, ct)).ToDictionary(h => h.BranchId, StringComparer.Ordinal);
        StatementAudit heads = await HeadsAsync(id, ct: ct);
        return new RatingsStatement(id, campaign.Definition.Title, campaign.Definition.Unit, YearOf(campaign), version,
            clock.GetUtcNow(), publishedAt, reason,
            [.. list.OrderBy(r => r.Rank).ThenBy(r => r.BranchId, StringComparer.Ordinal)
                .Select(r => StatementRating.Of(r, register.GetValueOrDefault(r.BranchId)))], heads);
    }

    /// <summary>The year a campaign's titles are for: as defined, else the year of its publication.</summary>
    public static int YearOf(CampaignRecord campaign) => campaign.Definition.Year ?? campaign.PublishedAt?.UtcDateTime.Year ?? 0;

    /// <summary>
    /// Every chain's head: each evaluation's as its record points at it; the campaign chain's last link and each honour
    /// change's, or, for a statement issued earlier, the links it sealed (<paramref name="sealedAt"/>).
    /// </summary>
    public async Task<StatementAudit> HeadsAsync(string campaignId, StatementAudit? sealedAt = null, CancellationToken ct = default)
    {
        var heads = new List<(string Chain, int Seq, string Hash)>();
        string[] columns = ["RowKey", "Seq", "AuditHead"];
        await foreach (var e in evaluations.Query(campaignId, null, null, select: columns, pageSize: 1000).WithCancellation(ct))
        {
            int seq = e.GetInt32("Seq") ?? 0;
            string? hash = e.GetString("AuditHead") ?? (await audit.GetAsync(campaignId, e.RowKey, seq, ct))?.Hash();
            heads.Add((e.RowKey, seq, hash ?? ""));
        }
        var (seqAt, hashAt) = sealedAt is null ? await audit.CampaignChainHeadAsync(campaignId, ct) ?? (-1, AuditEntry.Genesis)
            : (sealedAt.CampaignSeq, await HashAtAsync(campaignId, AuditEntry.CampaignChain, sealedAt.CampaignSeq, ct));
        heads.Add((AuditEntry.CampaignChain, seqAt, hashAt));
        List<SealedChain> changes = [];
        if (sealedAt is null)
            foreach (var (chain, (seq, hash)) in await audit.ChangeChainHeadsAsync(campaignId, ct))
            {
                changes.Add(new(chain, seq));
                heads.Add((chain, seq, hash));
            }
        else
            foreach (SealedChain change in sealedAt.Changes ?? [])
            {
                changes.Add(change);
                heads.Add((change.Chain, change.Seq, await HashAtAsync(campaignId, change.Chain, change.Seq, ct)));
            }
        return new StatementAudit(heads.Count, seqAt, AuditHeads.Root(heads))
        {
            Changes = changes.Count == 0 ? null : [.. changes.OrderBy(c => c.Chain, StringComparer.Ordinal)],
        };
    }

    /// <summary>The hash of a chain's link <paramref name="seq"/> (before the first, the genesis; "" when it is missing).</summary>
    async Task<string> HashAtAsync(string campaignId, string chain, int seq, CancellationToken ct) =>
        seq < 0 ? AuditEntry.Genesis : (await audit.GetAsync(campaignId, chain, seq, ct))?.Hash() ?? "";

    /// <summary>The campaign record names the newest version, so readers of the list know when to read it again.</summary>
    async Task<StatementRecord> RecordVersionAsync(StatementRecord statement, CancellationToken ct)
    {
        await campaigns.UpdateAsync(statement.CampaignId, c => c.StatementVersion >= statement.Version
            ? c : c with { StatementVersion = statement.Version }, ct);
        return statement;
    }
}
