using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.Workflows.Activities;

/// <summary>What a change's workflow reads of its row: the decision, the notice and the counts of its objections.</summary>
public sealed class ReadHonourChangeActivity(HonourChangeStore changes) : EvalActivity<HonourChangeRef, HonourChangeState>
{
    public override async Task<HonourChangeState> RunAsync(HonourChangeRef input)
    {
        var (change, _) = await changes.GetAsync(input.CampaignId, input.BranchId, input.ChangeId)
            ?? throw new InvalidOperationException($"No honour change '{input.ChangeId}' of {input.CampaignId}/{input.BranchId}.");
        return change.State();
    }
}
