using Eval.Workflows.Domain;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Outbox;

/// <summary>Raises the events of accepted actions (from an evaluation's outbox) into the evaluation's workflow.</summary>
public sealed class AcceptedActionRelay(OutboxOptions options, TimeProvider clock, ILogger<AcceptedActionRelay> log)
{
    public static Task RaiseAsync(DurableTaskClient client, EvaluationRecord evaluation, AcceptedAction action, CancellationToken ct = default) =>
        client.RaiseEventAsync(InstanceIds.Evaluation(evaluation.CampaignId, evaluation.BranchId), action.Event, action.ToEvent(), ct);

    /// <summary>
    /// Raises again every action of <paramref name="evaluation"/> that is not taken in and was accepted at least
    /// <see cref="OutboxOptions.RelayAfter"/> ago. Returns how many it raised.
    /// </summary>
    public async Task<int> RelayOverdueAsync(DurableTaskClient client, EvaluationRecord evaluation, CancellationToken ct = default)
    {
        DateTimeOffset due = clock.GetUtcNow() - options.RelayAfter;
        int raised = 0;
        foreach (AcceptedAction action in evaluation.UnsettledActions().Where(a => a.At <= due))
        {
            await RaiseAsync(client, evaluation, action, ct);
            raised++;
            log.LogWarning("Raised again {Event} for {CampaignId}/{BranchId} round {Round} ({Claim}), accepted at {At:O} and not taken in yet (instance {InstanceId})",
                action.Event, evaluation.CampaignId, evaluation.BranchId, action.Round, action.Claim, action.At, InstanceIds.Evaluation(evaluation.CampaignId, evaluation.BranchId));
        }
        return raised;
    }
}
