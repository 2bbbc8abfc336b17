using Eval.Workflows.Domain;
using Eval.Workflows.Notifications;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Activities;

/// <summary>
/// The first step of a campaign's start: writes the first record of every branch's evaluation, with what the honours
/// register holds of the branch, and the first link of its audit chain (batched, 100 rows to a transaction), and returns
/// the units whose branches are started together (the branches' parents, i.e. townships), so the start fans out in small
/// activities. The self-assessment's reminders are scheduled once for the campaign: every branch shares its first deadline.
/// Safe to run again.
/// </summary>
public sealed class PrepareEvaluationsActivity(CampaignStore campaigns, UnitStore units, EvaluationStore evaluations, AuditStore audit,
    HonourStore honours, ReminderScheduler reminders, InboxIndex inbox, ILogger<PrepareEvaluationsActivity> log)
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
        List<Unit> fresh = [.. branches.Where(b => !existing.Contains(b.Id))];
        Dictionary<string, BranchRegister> registers = fresh.Count == 0 ? [] : await RegistersAsync(campaign, startedAt);
        List<EvaluationRecord> records = [.. fresh.Select(b => new EvaluationRecord
        {
            CampaignId = campaignId,
            BranchId = b.Id,
            BranchName = b.Name,
            Category = b.Category,
            Register = registers.GetValueOrDefault(b.Id),
            Stage = Stages.AwaitingSelfAssessment,
            StageDeadline = startedAt + rules.SelfAssessment,
            History = [started],
            AuditHead = AuditStore.FirstLinkHash(campaignId, b.Id, started),
            // The start schedules the workflows of this version just after (StartEvaluationGroupActivity).
            WorkflowVersion = EvaluationInput.CurrentVersion,
        })];
        // What each waits for (its self-assessment) before the record, as every later change of it: a re-run writes it again.
        await inbox.AddEvaluationsAsync(records);
        await evaluations.CreateAsync(records);
        await reminders.ScheduleStageAsync(campaign.Definition, Stages.AwaitingSelfAssessment, 0, startedAt + rules.SelfAssessment);
        string[] groups = branches.Select(b => UnitPath.ParentOf(b.Id)!).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal).ToArray();
        log.LogInformation("Campaign {CampaignId} (instance {InstanceId}) runs {Count} evaluations in {Groups} townships, " +
            "{Fresh} of them new",
            campaignId, InstanceIds.Campaign(campaignId), branches.Count, groups.Length, branches.Count - existing.Count);
        return groups;
    }

    /// <summary>
    /// The register of the campaign's branches: the titles of the earlier published campaigns over its unit, above it or
    /// under it, one key range of each one's partition (a handful a start), never a read per branch.
    /// </summary>
    async Task<Dictionary<string, BranchRegister>> RegistersAsync(CampaignRecord campaign, DateTimeOffset startedAt)
    {
        string unit = campaign.Definition.Unit;
        List<CampaignRecord> sources = [.. BranchRegister.Sources(
            await campaigns.ListAsync(CampaignStatus.Published), campaign.Definition.Id, unit, startedAt)];
        List<Honour>[] titles = await Task.WhenAll(sources.Select(c =>
            honours.ReadUnderAsync(c.Definition.Id, UnitPath.Covers(c.Definition.Unit, unit) ? unit : c.Definition.Unit)));
        return BranchRegister.Of(sources.Zip(titles)
            .SelectMany(s => s.Second.Select(h => (h, s.First.Definition.Levels[0].Id))), startedAt);
    }
}
