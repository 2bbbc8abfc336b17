using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Activities;

/// <summary>
/// Purges the Durable Task history of a chunk of a campaign's finished evaluation instances (in branch order, after the
/// last chunk's), and after the last chunk its outbox sweep's and the campaign's own. A purge removes only a finished
/// instance (completed, failed or terminated); purging one again, or one that is gone, purges nothing.
/// </summary>
public sealed class PurgeHistoryActivity(EvaluationStore evaluations, IServiceProvider services, ILogger<PurgeHistoryActivity> log)
    : ClientActivity<PurgeHistoryInput, PurgeHistoryResult>(services)
{
    /// <summary>Evaluations a call purges: each is a few storage requests, so a chunk stays well inside an activity's time.</summary>
    public const int ChunkSize = 100;

    public override async Task<PurgeHistoryResult> RunAsync(PurgeHistoryInput input, DurableTaskClient client)
    {
        List<string> branches = await evaluations.BranchesAfterAsync(input.CampaignId, input.After, ChunkSize);
        List<string> instances = [.. branches.Select(b => InstanceIds.Evaluation(input.CampaignId, b))];
        bool last = branches.Count < ChunkSize;
        if (last) instances.AddRange([InstanceIds.OutboxSweep(input.CampaignId), InstanceIds.Campaign(input.CampaignId)]);
        int purged = 0;
        await Parallel.ForEachAsync(instances, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (instance, ct) =>
            Interlocked.Add(ref purged, (await client.PurgeInstanceAsync(instance, cancellation: ct)).PurgedInstanceCount));
        log.LogInformation("Campaign {CampaignId}: purged the history of {Purged} of {Count} instances{Last}",
            input.CampaignId, purged, instances.Count, last ? " (the last chunk)" : "");
        return new PurgeHistoryResult(purged, last ? null : branches[^1]);
    }
}
