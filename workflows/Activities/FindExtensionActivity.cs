using Eval.Workflows.Domain;
using Eval.Workflows.Outbox;
using Eval.Workflows.Storage;

namespace Eval.Workflows.Activities;

/// <summary>
/// The deadline extension of the waiting step that the evaluation's record holds and its workflow has not taken in, accepted
/// by the deadline, if any (the latest, when there are several). The workflow asks at a missed deadline (from version 3):
/// an extension the API accepted in time counts even if its event never arrived. Only one bound to its request counts.
/// </summary>
public sealed class FindExtensionActivity(EvaluationStore evaluations, AcceptedActionRelay relay)
    : EvalActivity<FindExtensionInput, Supervision?>
{
    public override async Task<Supervision?> RunAsync(FindExtensionInput input)
    {
        var (record, _) = await evaluations.GetExistingAsync(input.CampaignId, input.BranchId);
        return relay.BoundSupervision(record).Select(p => p.Action)
            .Where(a => a.Kind == SupervisionKinds.Extension && a.Stage == input.Stage && a.Round == input.Round && a.At <= input.Deadline)
            .MaxBy(a => a.Deadline);
    }
}

/// <summary>Which step's missed deadline FindExtensionActivity looks behind.</summary>
public sealed record FindExtensionInput(string CampaignId, string BranchId, string Stage, int Round, DateTimeOffset Deadline);
