using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Activities;

/// <summary>
/// Starts the evaluation orchestrations of the branches under one unit (a township: tens of branches, seconds of
/// work), with deterministic instance ids. Safe to run again: one query finds the instances that exist already.
/// </summary>
public sealed class StartEvaluationGroupActivity(CampaignStore campaigns, EvaluationStore evaluations, IServiceProvider services,
    ILogger<StartEvaluationGroupActivity> log)
    : ClientActivity<StartEvaluationGroupInput, int>(services)
{
    const int ParallelStarts = 8;

    public override async Task<int> RunAsync(StartEvaluationGroupInput input, DurableTaskClient client)
    {
        var (campaign, _) = await campaigns.GetAsync(input.CampaignId)
            ?? throw new InvalidOperationException($"No campaign '{input.CampaignId}'.");
        DateTimeOffset startedAt = campaign.StartedAt
            ?? throw new InvalidOperationException($"Campaign '{input.CampaignId}' has no start time.");
        // Built once per category: the rubric is the category's when the campaign scores it its own way.
        var rules = new Dictionary<string, EvaluationRules>(StringComparer.Ordinal);
        EvaluationRules RulesFor(string? category) => rules.TryGetValue(category ?? "", out EvaluationRules? built)
            ? built
            : rules[category ?? ""] = EvaluationRules.From(campaign.Definition, category);

        var branches = new List<(string Id, EvaluationRules Rules)>();
        await foreach (var row in evaluations.Query(input.CampaignId, input.UnitId, null, select: ["RowKey", "Category"], pageSize: 1000))
            if (row.RowKey != input.UnitId) branches.Add((row.RowKey, RulesFor(row.GetString("Category"))));

        var running = new HashSet<string>(StringComparer.Ordinal);
        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = InstanceIds.Evaluation(input.CampaignId, input.UnitId + "."), PageSize = 1000,
        };
        await foreach (OrchestrationMetadata instance in client.GetAllInstancesAsync(query)) running.Add(instance.InstanceId);

        int started = 0;
        await Parallel.ForEachAsync(branches, new ParallelOptions { MaxDegreeOfParallelism = ParallelStarts }, async (branch, ct) =>
        {
            string instanceId = InstanceIds.Evaluation(input.CampaignId, branch.Id);
            if (running.Contains(instanceId)) return;
            await client.ScheduleNewOrchestrationInstanceAsync(TaskNames.EvaluationOrchestrator,
                new EvaluationInput(input.CampaignId, branch.Id, startedAt, branch.Rules) { Version = EvaluationInput.CurrentVersion },
                new StartOrchestrationOptions(instanceId), ct);
            Interlocked.Increment(ref started);
        });
        log.LogInformation("Campaign {CampaignId} (instance {InstanceId}) started {Started} of {Count} evaluations under {UnitId}",
            input.CampaignId, InstanceIds.Campaign(input.CampaignId), started, branches.Count, input.UnitId);
        return started;
    }
}
