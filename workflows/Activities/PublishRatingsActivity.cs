using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.Workflows.Activities;

/// <summary>Writes the final list to table Ratings and marks the campaign published.</summary>
public sealed class PublishRatingsActivity(CampaignStore campaigns, RatingStore ratings) : EvalActivity<PublishRatingsInput, int>
{
    public override async Task<int> RunAsync(PublishRatingsInput input)
    {
        int count = await ratings.PublishAsync(input.CampaignId, input.PublishedAt);
        await campaigns.UpdateAsync(input.CampaignId, c => c with { Status = CampaignStatus.Published, PublishedAt = input.PublishedAt });
        return count;
    }
}
