using Eval.Workflows.Domain;
using Eval.Workflows.Outbox;
using Eval.Workflows.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Eval.Workflows.Activities;

/// <summary>
/// The last step of a campaign's start. An event raised to an instance whose start message is not processed yet is
/// discarded by the Azure Storage provider ("no such instance"), and the API takes actions only once BranchCount is
/// set; so this sets it only when none of the campaign's evaluations is still pending, and otherwise says how many
/// are (the orchestration waits a moment and asks again, rather than holding an activity open). It also starts the
/// campaign's outbox sweep (<see cref="Orchestrations.OutboxSweepOrchestrator"/>).
/// </summary>
public sealed class FinishStartActivity(
    CampaignStore campaigns, EvaluationStore evaluations, OutboxOptions outbox, IServiceProvider services)
    : ClientActivity<string, StartProgress>(services)
{
    public override async Task<StartProgress> RunAsync(string campaignId, DurableTaskClient client)
    {
        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = InstanceIds.Evaluation(campaignId, ""),
            Statuses = [OrchestrationRuntimeStatus.Pending],
            PageSize = 1000,
            FetchInputsAndOutputs = true,
        };
        // An evaluation sets its custom status in its first episode, so one with a custom status has processed its
        // start even if its row still says Pending: a crash between the provider's history write and its status
        // write leaves that row Pending until the instance completes (seen in ./eval chaos).
        int pending = 0;
        await foreach (OrchestrationMetadata instance in client.GetAllInstancesAsync(query))
            if (string.IsNullOrEmpty(instance.SerializedCustomStatus)) pending++;
        if (pending > 0) return new StartProgress(pending, null);

        int branches = 0;
        await foreach (var _ in evaluations.Query(campaignId, null, null, select: ["RowKey"], pageSize: 1000)) branches++;
        // The sweep first: once BranchCount is set the API accepts actions, and the sweep is what raises a lost one.
        string sweep = InstanceIds.OutboxSweep(campaignId);
        if (await client.GetInstanceAsync(sweep) is null)
            await client.ScheduleNewOrchestrationInstanceAsync(TaskNames.OutboxSweepOrchestrator,
                new OutboxSweepInput(campaignId, outbox.SweepInterval), new StartOrchestrationOptions(sweep));
        await campaigns.UpdateAsync(campaignId, c => c with { BranchCount = branches });
        return new StartProgress(0, branches);
    }
}
