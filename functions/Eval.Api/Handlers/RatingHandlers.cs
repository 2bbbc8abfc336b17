using Eval.Api.Http;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.AspNetCore.Http;

namespace Eval.Api.Handlers;

/// <summary>GET /api/campaigns/{cid}/ratings — public: the proposed list during the notice, then the published one.</summary>
public sealed class RatingHandlers(CampaignAccess access, RatingStore ratings)
{
    public async Task<IResult> GetAsync(HttpRequest request, string campaignId)
    {
        var (campaign, _, missing) = await access.LoadAsync(campaignId, request.HttpContext.RequestAborted);
        if (missing is not null) return missing;
        if (campaign!.Status is not (CampaignStatus.Publicity or CampaignStatus.Published))
            return Problems.Conflict($"The campaign is {campaign.Status}: ratings are public from the notice on.");
        List<RankedBranch> list = campaign.Status == CampaignStatus.Publicity
            ? await ratings.ReadProposedAsync(campaignId, request.HttpContext.RequestAborted)
            : await ratings.ReadPublishedAsync(campaignId, request.HttpContext.RequestAborted);
        return Results.Ok(new RatingsView(campaignId, campaign.Status, campaign.PublicityEndsAt, campaign.PublishedAt, list));
    }
}
