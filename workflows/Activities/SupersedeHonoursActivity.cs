using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Activities;

/// <summary>
/// Ends the titles a published campaign's branches still held from earlier campaigns (expired, superseded), and returns
/// those campaigns, whose lists are signed again. Repeating it changes nothing more.
/// </summary>
public sealed class SupersedeHonoursActivity(CampaignStore campaigns, RatingStore ratings, HonourStore honours,
    ILogger<SupersedeHonoursActivity> log) : EvalActivity<PublishRatingsInput, string[]>
{
    public override async Task<string[]> RunAsync(PublishRatingsInput input)
    {
        var (campaign, _) = await campaigns.GetAsync(input.CampaignId)
            ?? throw new InvalidOperationException($"No campaign '{input.CampaignId}'.");
        HashSet<string> rated = [.. (await ratings.ReadPublishedAsync(input.CampaignId)).Select(r => r.BranchId)];
        var changed = new List<string>();
        foreach (CampaignRecord earlier in await campaigns.ListAsync(CampaignStatus.Published))
        {
            if (earlier.Definition.Id == input.CampaignId || earlier.PublishedAt is not { } at || at >= input.PublishedAt) continue;
            var held = await honours.HeldAsync(earlier.Definition.Id, rated);
            foreach (var (honour, etag) in held)
                await honours.TryReplaceAsync(honour with
                {
                    Status = HonourStatus.Expired, Since = input.PublishedAt, ReasonCategory = HonourReasons.Superseded,
                    Reason = "superseded by " + campaign.Definition.Title, ChangeId = null,
                }, etag);
            if (held.Count > 0) changed.Add(earlier.Definition.Id);
        }
        log.LogInformation("Campaign {CampaignId} (instance {InstanceId}) superseded titles of {Earlier}",
            input.CampaignId, InstanceIds.Campaign(input.CampaignId), changed.Count == 0 ? "no campaign" : string.Join(", ", changed));
        return [.. changed.Order(StringComparer.Ordinal)];
    }
}
