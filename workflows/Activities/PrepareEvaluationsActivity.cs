using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Activities;

/// <summary>
/// The first step of a campaign's start: writes the first record of every branch's evaluation and the first link
/// of its audit chain (batched, 100 rows to a transaction), and returns the units whose branches are started
/// together (the branches' parents, i.e. townships), so the start fans out in small activities. Safe to run again.
/// </summary>
public sealed class PrepareEvaluationsActivity(CampaignStore campaigns, UnitStore units, EvaluationStore evaluations, AuditStore audit,
    ILogger<PrepareEvaluationsActivity> log)
    : EvalActivity<string, string[]>
{
    public override async Task<string[]> RunAsync(string campaignId)
    {
        var (campaign, _) = await campaigns.GetAsync(campaignId) ?? throw new InvalidOperationException($"No campaign '{campaignId}'.");
        DateTimeOffset startedAt = campaign.StartedAt ?? throw new InvalidOperationException($"Campaign '{campaignId}' has no start time.");
        List<Unit> branches = await units.BranchesUnderAsync(campaign.Definition.Unit);
        var rules = EvaluationRules.From(campaign.Definition);

        var started = new HistoryEntry(startedAt, SystemActor.Instance.Id, SystemActor.Instance.Role, HistoryActions.Started,
            campaign.Definition.Title);
        // The first link of each evaluation's audit chain, before the record that counts it (as every link is): for
        // every branch, as a crash may have come between the two writes (an upsert writes the same link again).
        await audit.StartChainsAsync(campaignId, branches.Select(b => (b.Id, started)));
        // Then the records. A re-run keeps the records that exist (their workflows may have moved them on).
        var existing = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in evaluations.Query(campaignId, null, null, select: ["RowKey"], pageSize: 1000))
            existing.Add(row.RowKey);
        await evaluations.CreateAsync(branches.Where(b => !existing.Contains(b.Id)).Select(b => new EvaluationRecord
        {
            CampaignId = campaignId,
            BranchId = b.Id,
            BranchName = b.Name,
            Category = b.Category,
            Stage = Stages.AwaitingSelfAssessment,
            StageDeadline = startedAt + rules.SelfAssessment,
            History = [started],
            AuditHead = AuditStore.FirstLinkHash(campaignId, b.Id, started),
        }));
        string[] groups = branches.Select(b => UnitPath.ParentOf(b.Id)!).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal).ToArray();
        log.LogInformation("Campaign {CampaignId} (instance {InstanceId}) runs {Count} evaluations in {Groups} townships, " +
            "{Fresh} of them new",
            campaignId, InstanceIds.Campaign(campaignId), branches.Count, groups.Length, branches.Count - existing.Count);
        return groups;
    }
}
