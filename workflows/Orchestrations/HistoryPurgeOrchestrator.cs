using Eval.Workflows.Domain;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Orchestrations;

/// <summary>
/// After a campaign is published, waits a durable timer for the history retention (Workflows:HistoryRetention), then
/// purges the Durable Task history of the campaign's finished instances, a chunk of evaluations per activity call, then its
/// outbox sweep and the campaign's own. Nothing reads orchestration state for what it shows: the tables and the audit
/// chain keep the record.
/// </summary>
public sealed class HistoryPurgeOrchestrator : TaskOrchestrator<HistoryPurgeInput, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, HistoryPurgeInput input)
    {
        ILogger log = context.CreateReplaySafeLogger<HistoryPurgeOrchestrator>();
        await Deadline.PassAsync(context, input.PurgeAt);
        int purged = 0;
        string? after = null;
        do
        {
            PurgeHistoryResult chunk = await context.CallActivityAsync<PurgeHistoryResult>(TaskNames.PurgeHistory,
                new PurgeHistoryInput(input.CampaignId, after), ActivityRetry.Options);
            purged += chunk.Purged;
            after = chunk.Next;
        }
        while (after is not null);
        log.LogInformation("Campaign {CampaignId} (instance {InstanceId}): the history of {Count} finished instances purged",
            input.CampaignId, context.InstanceId, purged);
        return purged;
    }
}
