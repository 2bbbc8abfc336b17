using Eval.Workflows.Domain;
using Eval.Workflows.Outbox;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Activities;

/// <summary>
/// What a change's workflow reads of its row: the decision, the notice and the counts of its objections. A decision whose
/// binding does not hold was not written by the API, and is read as none.
/// </summary>
public sealed class ReadHonourChangeActivity(HonourChangeStore changes, OutboxBinding binding, ILogger<ReadHonourChangeActivity> log)
    : EvalActivity<HonourChangeRef, HonourChangeState>
{
    public override async Task<HonourChangeState> RunAsync(HonourChangeRef input)
    {
        var (change, _) = await changes.GetAsync(input.CampaignId, input.BranchId, input.ChangeId)
            ?? throw new InvalidOperationException($"No honour change '{input.ChangeId}' of {input.CampaignId}/{input.BranchId}.");
        bool bound = binding.HoldsDecision(change);
        if (change.Decision is not null && !bound)
            log.LogWarning("Honour change {ChangeId} of {CampaignId}/{BranchId}: its decision is not bound to it and is not taken",
                change.Id, input.CampaignId, input.BranchId);
        return change.State(bound);
    }
}
