using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Activities;

/// <summary>Forced publication: tells every unfinished evaluation to close (it then ends not-evaluated).</summary>
public sealed class CloseUnfinishedEvaluationsActivity(EvaluationStore evaluations, IServiceProvider services, ILogger<CloseUnfinishedEvaluationsActivity> log)
    : ClientActivity<CloseEvaluationsInput, int>(services)
{
    public override async Task<int> RunAsync(CloseEvaluationsInput input, DurableTaskClient client)
    {
        List<string> unfinished = await evaluations.UnfinishedAsync(input.CampaignId);
        await Parallel.ForEachAsync(unfinished, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (branchId, ct) =>
            await client.RaiseEventAsync(InstanceIds.Evaluation(input.CampaignId, branchId), EvaluationEvents.Closed,
                new EvaluationClosed(input.By, input.At), ct));
        log.LogInformation("Campaign {CampaignId} (instance {InstanceId}) closed {Count} unfinished evaluations",
            input.CampaignId, InstanceIds.Campaign(input.CampaignId), unfinished.Count);
        return unfinished.Count;
    }
}
