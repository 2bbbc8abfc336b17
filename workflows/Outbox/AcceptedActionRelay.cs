using Eval.Workflows.Domain;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Outbox;

/// <summary>
/// Raises the events of accepted actions again into their workflows: an evaluation's steps (from its record's outbox)
/// and a campaign's publication request (kept on the campaign's record).
/// </summary>
public sealed class AcceptedActionRelay(OutboxOptions options, OutboxBinding binding, TimeProvider clock, ILogger<AcceptedActionRelay> log)
{
    /// <summary>
    /// The record's actions not taken in yet whose binding holds; each other one is logged and left alone (written outside
    /// the API, or before entries were bound: docs/workflows.md, "The outbox").
    /// </summary>
    public IEnumerable<AcceptedAction> BoundUnsettled(EvaluationRecord evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        foreach (AcceptedAction action in evaluation.UnsettledActions())
        {
            if (binding.Holds(evaluation.CampaignId, evaluation.BranchId, action)) yield return action;
            else
                log.LogWarning("The outbox of {CampaignId}/{BranchId} holds {Event} ({Claim}) whose binding does not hold: " +
                    "not raised (written outside the API, or before entries were bound)",
                    evaluation.CampaignId, evaluation.BranchId, action.Event, action.Claim);
        }
    }

    public static Task RaiseAsync(
        DurableTaskClient client, EvaluationRecord evaluation, AcceptedAction action, CancellationToken ct = default) =>
        client.RaiseEventAsync(InstanceIds.Evaluation(evaluation.CampaignId, evaluation.BranchId), action.Event, action.ToEvent(), ct);

    /// <summary>
    /// Raises again every action of <paramref name="evaluation"/> that is not taken in and was accepted at least
    /// <see cref="OutboxOptions.RelayAfter"/> ago. Returns how many it raised.
    /// </summary>
    public async Task<int> RelayOverdueAsync(DurableTaskClient client, EvaluationRecord evaluation, CancellationToken ct = default)
    {
        DateTimeOffset due = clock.GetUtcNow() - options.RelayAfter;
        int raised = 0;
        foreach (AcceptedAction action in BoundUnsettled(evaluation).Where(a => a.At <= due))
        {
            await RaiseAsync(client, evaluation, action, ct);
            raised++;
            log.LogWarning("Raised again {Event} for {CampaignId}/{BranchId} round {Round} ({Claim}), accepted at {At:O} " +
                "and not taken in yet (instance {InstanceId})",
                action.Event, evaluation.CampaignId, evaluation.BranchId, action.Round, action.Claim, action.At,
                InstanceIds.Evaluation(evaluation.CampaignId, evaluation.BranchId));
        }
        return raised;
    }

    /// <summary>
    /// Raises again every urging or extension of <paramref name="evaluation"/> whose binding holds, not taken in, and
    /// accepted at least <see cref="OutboxOptions.RelayAfter"/> ago. Returns how many it raised.
    /// </summary>
    public async Task<int> RelaySupervisionAsync(DurableTaskClient client, EvaluationRecord evaluation, CancellationToken ct = default)
    {
        DateTimeOffset due = clock.GetUtcNow() - options.RelayAfter;
        int raised = 0;
        foreach (PendingSupervision pending in BoundSupervision(evaluation).Where(p => p.Action.At <= due))
        {
            await RaiseAsync(client, evaluation, pending.Action, ct);
            raised++;
            log.LogWarning("Raised again the {Kind} {Id} of {CampaignId}/{BranchId}, accepted at {At:O} and not taken in yet",
                pending.Action.Kind, pending.Action.Id, evaluation.CampaignId, evaluation.BranchId, pending.Action.At);
        }
        return raised;
    }

    /// <summary>The record's urgings and extensions not taken in yet whose binding holds (the others are logged and left).</summary>
    public IEnumerable<PendingSupervision> BoundSupervision(EvaluationRecord evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        foreach (PendingSupervision pending in evaluation.UnsettledSupervision())
        {
            if (binding.Holds(evaluation.CampaignId, evaluation.BranchId, pending)) yield return pending;
            else
                log.LogWarning("The record of {CampaignId}/{BranchId} holds the {Kind} {Id} whose binding does not hold: not raised",
                    evaluation.CampaignId, evaluation.BranchId, pending.Action.Kind, pending.Action.Id);
        }
    }

    public static Task RaiseAsync(DurableTaskClient client, EvaluationRecord evaluation, Supervision action,
        CancellationToken ct = default) =>
        client.RaiseEventAsync(InstanceIds.Evaluation(evaluation.CampaignId, evaluation.BranchId), EvaluationEvents.Supervised, action, ct);

    /// <summary>
    /// Raises again the campaign's accepted publication request if it was accepted at least
    /// <see cref="OutboxOptions.RelayAfter"/> ago and the campaign's workflow is still waiting for it (its custom
    /// status says "running"; past that it has taken the request in). True when it raised.
    /// </summary>
    public async Task<bool> RelayPublicationAsync(DurableTaskClient client, CampaignRecord campaign, CancellationToken ct = default)
    {
        if (campaign.Status != CampaignStatus.Running || campaign.PublicationRequest is not { } request
            || request.At > clock.GetUtcNow() - options.RelayAfter)
            return false;
        if (!PublicationHolds(campaign)) return false;
        string instance = InstanceIds.Campaign(campaign.Definition.Id);
        OrchestrationMetadata? workflow = await client.GetInstanceAsync(instance, getInputsAndOutputs: true, ct);
        if (CampaignWorkflowStatus.Parse(workflow?.SerializedCustomStatus)?.Step != CampaignSteps.Running) return false;
        await client.RaiseEventAsync(instance, CampaignEvents.PublicationRequested, request, ct);
        log.LogWarning("Raised again the publication request of {CampaignId}, accepted at {At:O} " +
            "and not taken in yet (instance {InstanceId})",
            campaign.Definition.Id, request.At, instance);
        return true;
    }

    /// <summary>Whether the campaign's kept publication request is bound to its claim; a warning when it is not.</summary>
    public bool PublicationHolds(CampaignRecord campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        if (campaign.PublicationRequest is not { } request) return false;
        if (binding.Holds(campaign.Definition.Id, campaign.PublicationOperation, request, campaign.PublicationRequestMac)) return true;
        log.LogWarning("The publication request kept on campaign {CampaignId} is not bound to its claim: not raised " +
            "(written outside the API, or before requests were bound)", campaign.Definition.Id);
        return false;
    }

    /// <summary>
    /// For a request that is refused: raises again, through <paramref name="relay"/>, what an earlier request accepted
    /// and never delivered. A failure here leaves the refusal as it is (the outbox sweep, or the campaign's recount of
    /// objections, makes up for it later), so it is logged only.
    /// </summary>
    public async Task BesideRefusalAsync(Func<Task> relay, string what)
    {
        try
        {
            await relay();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Could not raise again the accepted actions of {What}; they are raised again later", what);
        }
    }
}
