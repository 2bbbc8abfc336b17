using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Eval.Workflows.Domain;

namespace Eval.Workflows.Storage;

/// <summary>
/// Writes table Inbox, the index of what waits on whom (docs/storage.md, "Inbox"), where the state it follows changes: an
/// evaluation's record (<see cref="FollowEvaluationAsync"/>, before the record is written, so a record's state always has
/// its items), an objection, an honour change. Every write is an upsert or a delete by key, so a repeat leaves the same
/// rows; an item is derived from the state (<see cref="InboxItems"/>), so a new StageDeadline moves it. Other features
/// that make something wait on someone write their items through <see cref="ReplaceAsync"/>.
/// </summary>
public sealed class InboxIndex(EvalTables tables, CampaignStore campaigns, UnitStore units)
{
    const int ParallelWrites = 16;

    // Definitions never change once a campaign exists: read once per process (a few campaigns a year).
    readonly ConcurrentDictionary<string, CampaignDefinition> definitions = new();

    TableClient Table => tables.Table(EvalTables.Inbox);

    /// <summary>
    /// Moves the index from the items of <paramref name="before"/> to those of <paramref name="after"/>: deletes each item of
    /// before whose key after lacks, and writes every item of after (again, if it is there: a repeat heals a lost write).
    /// </summary>
    public Task ReplaceAsync(IEnumerable<InboxItem> before, IEnumerable<InboxItem> after, CancellationToken ct = default)
    {
        List<InboxItem> wanted = [.. after];
        var keep = wanted.Select(i => (i.PartitionKey, i.RowKey)).ToHashSet();
        List<InboxItem> stale = [.. before.Where(i => !keep.Contains((i.PartitionKey, i.RowKey)))];
        return Parallel.ForEachAsync(stale.Select(i => (Item: i, Delete: true)).Concat(wanted.Select(i => (Item: i, Delete: false))),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelWrites, CancellationToken = ct },
            async (write, token) =>
            {
                if (write.Delete) await DeleteAsync(write.Item, token);
                else await Table.UpsertEntityAsync(InboxReader.ToEntity(write.Item), TableUpdateMode.Replace, token);
            });
    }

    async Task DeleteAsync(InboxItem item, CancellationToken ct)
    {
        try { await Table.DeleteEntityAsync(item.PartitionKey, item.RowKey, ETag.All, ct); }
        catch (RequestFailedException e) when (e.Status == 404) { }
    }

    /// <summary>What an evaluation waits for as it moves from <paramref name="before"/> (none: new) to <paramref name="after"/>.</summary>
    public async Task FollowEvaluationAsync(EvaluationRecord? before, EvaluationRecord after, CancellationToken ct = default)
    {
        CampaignDefinition campaign = await DefinitionAsync(after.CampaignId, ct);
        await ReplaceAsync(before is null ? [] : InboxItems.OfEvaluation(before, campaign), InboxItems.OfEvaluation(after, campaign), ct);
    }

    /// <summary>The first items of a campaign's new evaluations (their self-assessments, a fixed appraisal's ballots).</summary>
    public async Task AddEvaluationsAsync(IReadOnlyList<EvaluationRecord> records, CancellationToken ct = default)
    {
        if (records.Count == 0) return;
        CampaignDefinition campaign = await DefinitionAsync(records[0].CampaignId, ct);
        await ReplaceAsync([], records.SelectMany(r => InboxItems.OfEvaluation(r, campaign)), ct);
    }

    /// <summary>An objection waits while it is open.</summary>
    public async Task FollowObjectionAsync(ObjectionRecord objection, CampaignRecord campaign, CancellationToken ct = default)
    {
        string name = await BranchNameAsync(objection.BranchId, ct);
        await ReplaceAsync(InboxItems.OfObjection(objection with { Status = ObjectionStatus.Open }, campaign, name),
            InboxItems.OfObjection(objection, campaign, name), ct);
    }

    /// <summary>An honour change waits for its decision (<paramref name="decided"/>: the API stored one), where it is due now.</summary>
    public async Task FollowHonourChangeAsync(HonourChange change, bool decided, CancellationToken ct = default)
    {
        CampaignDefinition campaign = await DefinitionAsync(change.CampaignId, ct);
        string name = await BranchNameAsync(change.BranchId, ct);
        await ReplaceAsync(InboxItems.PossibleForHonourChange(change, campaign, name),
            InboxItems.OfHonourChange(change, decided, campaign, name), ct);
    }

    /// <summary>An objection to a change waits while it is open.</summary>
    public async Task FollowHonourChangeObjectionAsync(HonourChangeObjection objection, HonourChange change, CancellationToken ct = default)
    {
        CampaignDefinition campaign = await DefinitionAsync(change.CampaignId, ct);
        string name = await BranchNameAsync(change.BranchId, ct);
        await ReplaceAsync(InboxItems.OfHonourChangeObjection(objection with { Status = ObjectionStatus.Open }, change, campaign, name),
            InboxItems.OfHonourChangeObjection(objection, change, campaign, name), ct);
    }

    async Task<CampaignDefinition> DefinitionAsync(string campaignId, CancellationToken ct)
    {
        if (definitions.TryGetValue(campaignId, out CampaignDefinition? known)) return known;
        var (campaign, _) = await campaigns.GetAsync(campaignId, ct) ?? throw new InvalidOperationException($"No campaign '{campaignId}'.");
        if (definitions.Count >= 1000) definitions.Clear();
        return definitions[campaignId] = campaign.Definition;
    }

    async Task<string> BranchNameAsync(string branchId, CancellationToken ct) => (await units.GetAsync(branchId, ct))?.Name ?? branchId;
}
