using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Activities;

/// <summary>
/// Enters a published campaign's titles in the honours register (every branch published with a level), and ends the
/// titles its branches still held from earlier campaigns (expired, superseded). Returns the earlier campaigns whose
/// register it changed, whose lists are signed again. Repeating it writes the same.
/// </summary>
public sealed class RegisterHonoursActivity(CampaignStore campaigns, RatingStore ratings, HonourStore honours,
    ILogger<RegisterHonoursActivity> log) : EvalActivity<PublishRatingsInput, string[]>
{
    public override async Task<string[]> RunAsync(PublishRatingsInput input)
    {
        var (campaign, _) = await campaigns.GetAsync(input.CampaignId)
            ?? throw new InvalidOperationException($"No campaign '{input.CampaignId}'.");
        int year = StatementIssuer.YearOf(campaign);
        List<RankedBranch> list = await ratings.ReadPublishedAsync(input.CampaignId);
        List<Honour> given = [.. list.Select(r => Honour.Of(input.CampaignId, year, r, input.PublishedAt)).OfType<Honour>()];
        // A repeat must not undo a change made since (the first run wrote these rows, and a demotion may have followed).
        HashSet<string> registered = [.. (await honours.ReadCampaignAsync(input.CampaignId)).Select(h => h.BranchId)];
        await honours.WriteAsync(given.Where(h => !registered.Contains(h.BranchId)));

        HashSet<string> rated = [.. list.Select(r => r.BranchId)];
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
        log.LogInformation("Campaign {CampaignId} (instance {InstanceId}) registered {Count} honours; superseded titles of {Earlier}",
            input.CampaignId, InstanceIds.Campaign(input.CampaignId), given.Count, changed.Count == 0 ? "none" : string.Join(", ", changed));
        return [.. changed.Order(StringComparer.Ordinal)];
    }
}
