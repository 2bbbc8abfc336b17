using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Activities;

/// <summary>
/// Ends the titles a published campaign's branches still held from earlier campaigns (expired, superseded), each earlier
/// campaign's change linked in its audit chain first, and returns those campaigns, whose lists are signed again. A repeat
/// finds the same titles (those it ended already among them), links nothing twice and returns the same campaigns.
/// </summary>
public sealed class SupersedeHonoursActivity(CampaignStore campaigns, RatingStore ratings, HonourStore honours, AuditStore audit,
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
            var held = await honours.SupersededAsync(earlier.Definition.Id, rated, input.PublishedAt);
            if (held.Count == 0) continue;
            string[] branches = [.. held.Select(h => h.Honour.BranchId).Order(StringComparer.Ordinal)];
            string detail = $"{branches.Length} titles superseded by {input.CampaignId}";
            await audit.AppendToCampaignAsync(earlier.Definition.Id, new HistoryEntry(input.PublishedAt, SystemActor.Instance.Id,
                    SystemActor.Instance.Role, HistoryActions.HonoursSuperseded, detail),
                AuditContent.Of(new { supersededBy = input.CampaignId, branches }));
            foreach (var (honour, etag) in held.Where(h => h.Honour.ReasonCategory != HonourReasons.Superseded))
                await honours.TryReplaceAsync(honour with
                {
                    Status = HonourStatus.Expired, Since = input.PublishedAt, ReasonCategory = HonourReasons.Superseded,
                    Reason = "superseded by " + campaign.Definition.Title, ChangeId = null,
                }, etag);
            changed.Add(earlier.Definition.Id);
        }
        log.LogInformation("Campaign {CampaignId} (instance {InstanceId}) superseded titles of {Earlier}",
            input.CampaignId, InstanceIds.Campaign(input.CampaignId), changed.Count == 0 ? "no campaign" : string.Join(", ", changed));
        return [.. changed.Order(StringComparer.Ordinal)];
    }
}
