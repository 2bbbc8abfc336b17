using Azure;
using Azure.Data.Tables;
using Eval.Workflows.Domain;

namespace Eval.Workflows.Storage;

/// <summary>
/// Table Audit: PartitionKey = campaign id, RowKey = "{chain}|{seq:D6}"; Entry holds the canonical JSON and Hash its
/// SHA-256. Links are written once: an evaluation's by its workflow (the Seq of its decision, idempotent), the
/// campaign's and each honour change's (chain = change id) by whoever appends next (insert-only, a conflict takes the
/// next number).
/// </summary>
public sealed class AuditStore(EvalTables tables)
{
    TableClient Table => tables.Table(EvalTables.Audit);

    public static string RowKey(string chain, int seq) => $"{chain}|{seq:D6}";

    /// <summary>The first link of many evaluation chains (the start), 100 to a transaction.</summary>
    public async Task StartChainsAsync(
        string campaignId, IEnumerable<(string Branch, HistoryEntry Entry)> starts, CancellationToken ct = default)
    {
        foreach (var chunk in starts.Chunk(100))
            await Table.SubmitTransactionAsync(chunk.Select(s => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                ToEntity(FirstLink(campaignId, s.Branch, s.Entry)))), ct);
    }

    /// <summary>The hash of an evaluation chain's first link (what <see cref="StartChainsAsync"/> writes for it).</summary>
    public static string FirstLinkHash(string campaignId, string chain, HistoryEntry entry) => FirstLink(campaignId, chain, entry).Hash();

    /// <summary>
    /// Link <paramref name="seq"/> of an evaluation's chain, after the link whose hash is <paramref name="prevHash"/>
    /// (null: read it), with the digest of the decision it records (<see cref="AuditContent.OfChange"/>); writing it again
    /// writes the same link. Returns the new link's hash.
    /// </summary>
    public async Task<string> AppendAsync(string campaignId, string chain, int seq, HistoryEntry entry, string? prevHash = null,
        string? content = null, CancellationToken ct = default)
    {
        string prev = prevHash ?? (seq == 0 ? AuditEntry.Genesis : (await GetAsync(campaignId, chain, seq - 1, ct))?.Hash()
            ?? throw new InvalidOperationException($"Audit link {chain}|{seq - 1} of campaign {campaignId} is missing."));
        AuditEntry link = Link(campaignId, chain, seq, entry, prev) with { Content = content };
        await Table.UpsertEntityAsync(ToEntity(link), TableUpdateMode.Replace, ct);
        return link.Hash();
    }

    /// <summary>
    /// Appends to the campaign's own chain after its last link. An entry the chain holds already (the same time, actor,
    /// action and detail) is the same event written again by a repeated request, and is not linked twice.
    /// </summary>
    public Task AppendToCampaignAsync(string campaignId, HistoryEntry entry, CancellationToken ct = default) =>
        AppendToCampaignAsync(campaignId, [entry], ct);

    /// <summary>
    /// Appends to the campaign's chain with the digest of what the entry decides (<see cref="AuditContent"/>: a list, a
    /// register change), which the verifier recomputes from the tables.
    /// </summary>
    public Task AppendToCampaignAsync(string campaignId, HistoryEntry entry, string? content, CancellationToken ct = default) =>
        AppendToCampaignAsync(campaignId, [(entry, content)], ct);

    /// <summary>
    /// Appends several entries to the campaign's chain, in order, reading the chain once (a bulk decision links one entry
    /// per objection). Entries the chain holds already are not linked twice.
    /// </summary>
    public Task AppendToCampaignAsync(string campaignId, IReadOnlyList<HistoryEntry> entries, CancellationToken ct = default) =>
        AppendToCampaignAsync(campaignId, [.. entries.Select(e => (e, (string?)null))], ct);

    /// <summary>Appends several entries, each with its content digest (or none), to the campaign's chain, in order.</summary>
    public Task AppendToCampaignAsync(string campaignId, IReadOnlyList<(HistoryEntry Entry, string? Content)> entries,
        CancellationToken ct = default) => AppendToChainAsync(campaignId, AuditEntry.CampaignChain, entries, ct);

    /// <summary>
    /// Appends entries, in order, after the last link of a chain that anyone may extend (the campaign's, an honour change's):
    /// insert-only, a conflict takes the next number, and an entry the chain holds already is not linked twice. Reads the
    /// chain once, so a chain is kept small enough to read per request (each honour change has its own).
    /// </summary>
    public async Task AppendToChainAsync(string campaignId, string chain, IReadOnlyList<(HistoryEntry Entry, string? Content)> entries,
        CancellationToken ct = default)
    {
        var linked = new HashSet<(DateTimeOffset, string, string, string, string?, string?)>();
        AuditEntry? last = null;
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(ChainFilter(campaignId, chain), cancellationToken: ct))
            linked.Add(Identity(last = Read(e)));
        foreach (var (entry, content) in entries)
        {
            while (!linked.Contains(Identity(entry, content)))
            {
                AuditEntry link = Link(campaignId, chain, (last?.Seq ?? -1) + 1, entry, last?.Hash() ?? AuditEntry.Genesis)
                    with { Content = content };
                try
                {
                    await Table.AddEntityAsync(ToEntity(link), ct);
                    linked.Add(Identity(link));
                    last = link;
                }
                catch (RequestFailedException e) when (e.Status == 409)
                {
                    // Someone appended first: link after theirs (and not at all if theirs is this entry).
                    await foreach (TableEntity row in Table.QueryAsync<TableEntity>(ChainFilter(campaignId, chain, after: last),
                        cancellationToken: ct))
                        linked.Add(Identity(last = Read(row)));
                }
            }
        }
    }

    /// <summary>
    /// Links a step of an honour change into the change's own chain (<see cref="HonourChangeAudit"/>), after its proposal,
    /// which is linked first when the request that stored the change ended before linking it; without a step, the proposal.
    /// </summary>
    public Task AppendToChangeAsync(HonourChange change, HistoryEntry? step = null, CancellationToken ct = default) =>
        AppendToChainAsync(change.CampaignId, change.Id, step is null
            ? [(HonourChangeAudit.Proposal(change), null)]
            : [(HonourChangeAudit.Proposal(change), null), (step, null)], ct);

    /// <summary>What makes two entries the same event: the same time, actor, role, action, detail and content.</summary>
    static (DateTimeOffset, string, string, string, string?, string?) Identity(HistoryEntry e, string? content) =>
        (e.Time, e.Actor, e.Role, e.Action, e.Detail, content);

    static (DateTimeOffset, string, string, string, string?, string?) Identity(AuditEntry e) =>
        (e.Time, e.Actor, e.Role, e.Action, e.Detail, e.Content);

    /// <summary>Whether the campaign's own chain already holds a link with this action.</summary>
    public async Task<bool> CampaignChainHasAsync(string campaignId, string action, CancellationToken ct = default) =>
        (await CampaignChainAsync(campaignId, ct)).Any(l => l.Action == action);

    /// <summary>The campaign's own chain, in order.</summary>
    public Task<List<AuditEntry>> CampaignChainAsync(string campaignId, CancellationToken ct = default) =>
        ChainAsync(campaignId, AuditEntry.CampaignChain, ct);

    /// <summary>One chain's links, in order.</summary>
    public async Task<List<AuditEntry>> ChainAsync(string campaignId, string chain, CancellationToken ct = default)
    {
        var links = new List<AuditEntry>();
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(ChainFilter(campaignId, chain), cancellationToken: ct))
            links.Add(Read(e));
        return links;
    }

    /// <summary>The campaign chain's last link's number and hash, or null before its first link.</summary>
    public async Task<(int Seq, string Hash)?> CampaignChainHeadAsync(string campaignId, CancellationToken ct = default)
    {
        (int, string)? head = null;
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(ChainFilter(campaignId, AuditEntry.CampaignChain),
            select: ["RowKey", "Hash"], cancellationToken: ct))
            head = (SeqOf(e.RowKey), e.GetString("Hash") ?? "");
        return head;
    }

    /// <summary>
    /// The last link of every honour change's chain (chains named by the change's id, <see cref="HonourChangeIds"/>), by
    /// one range query over the keys that start "chg-" (a unit's id could too: only change ids are taken).
    /// </summary>
    public async Task<Dictionary<string, (int Seq, string Hash)>> ChangeChainHeadsAsync(string campaignId, CancellationToken ct = default)
    {
        var heads = new Dictionary<string, (int, string)>(StringComparer.Ordinal);
        string filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {campaignId} and RowKey ge {HonourChangeIds.Prefix} and RowKey lt {HonourChangeIds.PrefixEnd}");
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(filter, select: ["RowKey", "Hash"], cancellationToken: ct))
            if (e.RowKey[..e.RowKey.LastIndexOf('|')] is var chain && HonourChangeIds.IsValid(chain))
                heads[chain] = (SeqOf(e.RowKey), e.GetString("Hash") ?? "");
        return heads;
    }

    static int SeqOf(string rowKey) =>
        int.Parse(rowKey[(rowKey.LastIndexOf('|') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    public async Task<AuditEntry?> GetAsync(string campaignId, string chain, int seq, CancellationToken ct = default)
    {
        NullableResponse<TableEntity> row =
            await Table.GetEntityIfExistsAsync<TableEntity>(campaignId, RowKey(chain, seq), cancellationToken: ct);
        return row.HasValue ? Read(row.Value!) : null;
    }

    /// <summary>Every stored link of a campaign, as stored (key, entry, claimed hash), in key order.</summary>
    public async Task<List<(string RowKey, string? Entry, string? Hash)>> ReadAllAsync(string campaignId, CancellationToken ct = default)
    {
        var rows = new List<(string, string?, string?)>();
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {campaignId}");
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
            rows.Add((e.RowKey, e.GetString("Entry"), e.GetString("Hash")));
        return rows;
    }

    /// <summary>A chain's links: keys "{chain}|000000" … ("}" sorts right after "|").</summary>
    static string ChainFilter(string campaignId, string chain, AuditEntry? after = null)
    {
        string start = chain + "|", end = chain + "}";
        return after is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {campaignId} and RowKey ge {start} and RowKey lt {end}")
            : TableClient.CreateQueryFilter(
                $"PartitionKey eq {campaignId} and RowKey gt {RowKey(after.Chain, after.Seq)} and RowKey lt {end}");
    }

    static AuditEntry FirstLink(string campaignId, string chain, HistoryEntry e) => Link(campaignId, chain, 0, e, AuditEntry.Genesis);

    static AuditEntry Link(string campaignId, string chain, int seq, HistoryEntry e, string prev) =>
        new(campaignId, chain, seq, e.Time, e.Actor, e.Role, e.Action, e.Detail, prev);

    static TableEntity ToEntity(AuditEntry a) => new(a.CampaignId, RowKey(a.Chain, a.Seq))
    {
        ["Entry"] = a.ToCanonicalJson(),
        ["Hash"] = a.Hash(),
    };

    static AuditEntry Read(TableEntity e) => System.Text.Json.JsonSerializer.Deserialize<AuditEntry>(e.GetString("Entry")!, Json.Options)!;
}
