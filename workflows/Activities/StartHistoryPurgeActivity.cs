using Eval.Workflows.Domain;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Eval.Workflows.Activities;

/// <summary>
/// Starts a published campaign's history purge (<see cref="Orchestrations.HistoryPurgeOrchestrator"/>, instance
/// purge-{cid}), due the retention after publication; once only (a repeat finds the instance).
/// </summary>
public sealed class StartHistoryPurgeActivity(WorkflowOptions options, IServiceProvider services)
    : ClientActivity<StartHistoryPurgeInput, bool>(services)
{
    public override async Task<bool> RunAsync(StartHistoryPurgeInput input, DurableTaskClient client)
    {
        string instance = InstanceIds.HistoryPurge(input.CampaignId);
        if (await client.GetInstanceAsync(instance) is not null) return false;
        await client.ScheduleNewOrchestrationInstanceAsync(TaskNames.HistoryPurgeOrchestrator,
            new HistoryPurgeInput(input.CampaignId, input.PublishedAt + options.Retention), new StartOrchestrationOptions(instance));
        return true;
    }
}
