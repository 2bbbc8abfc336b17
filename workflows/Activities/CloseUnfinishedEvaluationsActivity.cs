using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Activities;

/// <summary>
/// Forced publication: tells every unfinished evaluation to close (it then ends not-evaluated). An evaluation whose
/// workflow has stopped (failed, say after its activities gave up in a long outage, or terminated by an operator) takes
/// no event: its record is closed here, as its workflow would have closed it, so the campaign does not wait for ever.
/// </summary>
public sealed class CloseUnfinishedEvaluationsActivity(EvaluationStore evaluations, RecordEvaluationActivity record,
    IServiceProvider services, ILogger<CloseUnfinishedEvaluationsActivity> log)
    : ClientActivity<CloseEvaluationsInput, int>(services)
{
    public override async Task<int> RunAsync(CloseEvaluationsInput input, DurableTaskClient client)
    {
        List<string> unfinished = await evaluations.UnfinishedAsync(input.CampaignId);
        var stopped = new HashSet<string>(StringComparer.Ordinal);
        if (unfinished.Count > 0)
        {
            // One query for the campaign's stopped evaluations (the prefix may also match a longer campaign id: the set is only looked up).
            var query = new OrchestrationQuery
            {
                InstanceIdPrefix = InstanceIds.Evaluation(input.CampaignId, ""), PageSize = 1000,
                Statuses = [OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated],
            };
            await foreach (OrchestrationMetadata instance in client.GetAllInstancesAsync(query)) stopped.Add(instance.InstanceId);
        }
        await Parallel.ForEachAsync(unfinished, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (branchId, ct) =>
        {
            string instanceId = InstanceIds.Evaluation(input.CampaignId, branchId);
            if (!stopped.Contains(instanceId))
            {
                await client.RaiseEventAsync(instanceId, EvaluationEvents.Closed, new EvaluationClosed(input.By, input.At), ct);
                return;
            }
            var (current, _) = await evaluations.GetExistingAsync(input.CampaignId, branchId, ct);
            if (current.Stage == Stages.Done) return;
            log.LogWarning("Evaluation {CampaignId}/{BranchId}: its workflow {InstanceId} has stopped, " +
                "so the forced publication closes its record directly",
                input.CampaignId, branchId, instanceId);
            var closed = new HistoryEntry(input.At, input.By.Id, input.By.Role, HistoryActions.Closed, HistoryActions.ClosedDetail);
            await record.RunAsync(new EvaluationChange(input.CampaignId, branchId, current.Seq + 1, closed)
            {
                Stage = Stages.Done, Outcome = Outcomes.NotEvaluated, ClearStageDeadline = true,
            });
        });
        log.LogInformation("Campaign {CampaignId} (instance {InstanceId}) closed {Count} unfinished evaluations " +
            "({Stopped} of them with a stopped workflow)",
            input.CampaignId, InstanceIds.Campaign(input.CampaignId), unfinished.Count,
            unfinished.Count(b => stopped.Contains(InstanceIds.Evaluation(input.CampaignId, b))));
        return unfinished.Count;
    }
}
