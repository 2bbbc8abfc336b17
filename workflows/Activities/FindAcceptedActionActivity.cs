using Eval.Workflows.Domain;
using Eval.Workflows.Outbox;
using Eval.Workflows.Storage;

namespace Eval.Workflows.Activities;

/// <summary>
/// The accepted action of one kind and round that the evaluation's outbox holds and its workflow has not taken in,
/// if any. The workflow asks before it acts on a missed deadline: an action the API accepted in time counts even if
/// its event never arrived. Only an entry bound to its claim counts (<see cref="OutboxBinding"/>).
/// </summary>
public sealed class FindAcceptedActionActivity(EvaluationStore evaluations, AcceptedActionRelay relay)
    : EvalActivity<FindAcceptedActionInput, AcceptedAction?>
{
    public override async Task<AcceptedAction?> RunAsync(FindAcceptedActionInput input)
    {
        var (record, _) = await evaluations.GetExistingAsync(input.CampaignId, input.BranchId);
        return relay.BoundUnsettled(record).FirstOrDefault(a => a.Event == input.Event && a.Round == input.Round);
    }
}
