using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Activities;

/// <summary>
/// Revokes, on the proposed list, the level of every branch with an upheld objection (nobody moves up: no re-ranking).
/// The campaign's workflow runs it when a resolution's event says an objection was upheld; it reads what is stored, so a
/// repeat, or an event that stands for several resolutions, is harmless. Publication applies the same set again. A run
/// that changes the list seals the list it leaves in the campaign's audit chain (<see cref="ProposedList"/>).
/// </summary>
public sealed class RevokeUpheldRatingsActivity(ObjectionStore objections, ProposedList list, ILogger<RevokeUpheldRatingsActivity> log)
    : EvalActivity<string, int>
{
    public override async Task<int> RunAsync(string campaignId)
    {
        HashSet<string> upheld = await objections.UpheldBranchesAsync(campaignId);
        await list.RevokeAsync(campaignId, upheld, RatingStore.RevokedReason, SystemActor.Instance);
        log.LogInformation("Campaign {CampaignId} (instance {InstanceId}): {Count} branches' levels revoked by upheld objections",
            campaignId, InstanceIds.Campaign(campaignId), upheld.Count);
        return upheld.Count;
    }
}
