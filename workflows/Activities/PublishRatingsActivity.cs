using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Activities;

/// <summary>Writes the final list to table Ratings (upheld objections applied) and marks the campaign published.</summary>
public sealed class PublishRatingsActivity(CampaignStore campaigns, RatingStore ratings, ObjectionStore objections, AuditStore audit,
    ILogger<PublishRatingsActivity> log)
    : EvalActivity<PublishRatingsInput, int>
{
    public override async Task<int> RunAsync(PublishRatingsInput input)
    {
        int count = await ratings.PublishAsync(input.CampaignId, input.PublishedAt, await objections.UpheldBranchesAsync(input.CampaignId));
        // Seal the published list into the campaign's audit chain (once: a retried activity finds the seal).
        if (!await audit.CampaignChainHasAsync(input.CampaignId, HistoryActions.Published))
            await audit.AppendToCampaignAsync(input.CampaignId,
                new HistoryEntry(input.PublishedAt, SystemActor.Instance.Id, SystemActor.Instance.Role, HistoryActions.Published,
                    await AuditVerifier.PublishedListHashAsync(ratings, input.CampaignId)));
        await campaigns.UpdateAsync(input.CampaignId, c => c with { Status = CampaignStatus.Published, PublishedAt = input.PublishedAt });
        log.LogInformation("Campaign {CampaignId} (instance {InstanceId}) published {Count} ratings",
            input.CampaignId, InstanceIds.Campaign(input.CampaignId), count);
        return count;
    }
}
