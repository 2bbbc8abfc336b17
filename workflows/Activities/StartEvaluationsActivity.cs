using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Activities;

/// <summary>
/// Writes the first record of every branch's evaluation (batched) and starts one orchestration per branch with a
/// deterministic instance id. Safe to run again after a crash: records are upserted and running instances kept.
/// </summary>
public sealed class StartEvaluationsActivity(CampaignStore campaigns, UnitStore units, EvaluationStore evaluations, AuditStore audit, IServiceProvider services,
    ILogger<StartEvaluationsActivity> log)
    : ClientActivity<string, int>(services)
{
    const int ParallelStarts = 16;

    public override async Task<int> RunAsync(string campaignId, DurableTaskClient client)
    {
        var (campaign, _) = await campaigns.GetAsync(campaignId) ?? throw new InvalidOperationException($"No campaign '{campaignId}'.");
        DateTimeOffset startedAt = campaign.StartedAt ?? throw new InvalidOperationException($"Campaign '{campaignId}' has no start time.");
        List<Unit> branches = await units.BranchesUnderAsync(campaign.Definition.Unit);
        var rules = EvaluationRules.From(campaign.Definition);

        // Records first, so the API can answer for every branch as soon as the campaign is running.
        var existing = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in evaluations.Query(campaignId, null, null, select: ["RowKey"], pageSize: 1000))
            existing.Add(row.RowKey);
        var started = new HistoryEntry(startedAt, SystemActor.Instance.Id, SystemActor.Instance.Role, "started", campaign.Definition.Title);
        var fresh = branches.Where(b => !existing.Contains(b.Id)).ToList();
        await evaluations.CreateAsync(fresh.Select(b => new EvaluationRecord
        {
            CampaignId = campaignId,
            BranchId = b.Id,
            BranchName = b.Name,
            Stage = Stages.AwaitingSelfAssessment,
            StageDeadline = startedAt + rules.SelfAssessment,
            History = [started],
        }));
        // The first link of each evaluation's audit chain (the same link if written again).
        await audit.StartChainsAsync(campaignId, branches.Select(b => (b.Id, started)));

        await Parallel.ForEachAsync(branches, new ParallelOptions { MaxDegreeOfParallelism = ParallelStarts }, async (branch, ct) =>
        {
            string instanceId = InstanceIds.Evaluation(campaignId, branch.Id);
            // A branch that had a record already may have been started by an earlier, interrupted run.
            if (existing.Contains(branch.Id) && await client.GetInstanceAsync(instanceId, ct) is not null) return;
            await client.ScheduleNewOrchestrationInstanceAsync(TaskNames.EvaluationOrchestrator,
                new EvaluationInput(campaignId, branch.Id, startedAt, rules), new StartOrchestrationOptions(instanceId), ct);
        });

        // An event raised to an instance whose start message is not yet processed is discarded by the Azure Storage
        // provider ("no such instance"). The API takes actions only once BranchCount is set, so set it only when no
        // evaluation of this campaign is still pending.
        await WaitUntilNonePendingAsync(client, campaignId);
        await campaigns.UpdateAsync(campaignId, c => c with { BranchCount = branches.Count });
        log.LogInformation("Campaign {CampaignId} (instance {InstanceId}) runs {Count} evaluations, {Fresh} of them new",
            campaignId, InstanceIds.Campaign(campaignId), branches.Count, fresh.Count);
        return branches.Count;
    }

    static async Task WaitUntilNonePendingAsync(DurableTaskClient client, string campaignId)
    {
        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = InstanceIds.Evaluation(campaignId, ""),
            Statuses = [OrchestrationRuntimeStatus.Pending],
            PageSize = 1,
        };
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(4)); // well inside the activity's 5-minute lock
        while (true)
        {
            bool anyPending = false;
            await foreach (var _ in client.GetAllInstancesAsync(query).AsPages(pageSizeHint: 1).WithCancellation(limit.Token)) { anyPending = _.Values.Count > 0; break; }
            if (!anyPending) return;
            await Task.Delay(TimeSpan.FromMilliseconds(500), limit.Token);
        }
    }
}
