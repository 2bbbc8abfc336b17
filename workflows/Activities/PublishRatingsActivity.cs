using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Activities;

/// <summary>
/// Writes the final list to table Ratings (upheld objections applied), enters its titles in the honours register (from
/// campaign version 3), and marks the campaign published: a reader that sees it published finds its register.
/// </summary>
public sealed class PublishRatingsActivity(CampaignStore campaigns, RatingStore ratings, ObjectionStore objections, AuditStore audit,
    HonourStore honours, ILogger<PublishRatingsActivity> log)
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
        if (input.Register) await RegisterAsync(input);
        // StatementVersion 0: published, its list to be signed next (the campaign's workflow does it at once).
        await campaigns.UpdateAsync(input.CampaignId, c => c with
        {
            Status = CampaignStatus.Published, PublishedAt = input.PublishedAt,
            StatementVersion = input.Register ? c.StatementVersion ?? 0 : c.StatementVersion,
        });
        log.LogInformation("Campaign {CampaignId} (instance {InstanceId}) published {Count} ratings",
            input.CampaignId, InstanceIds.Campaign(input.CampaignId), count);
        return count;
    }

    /// <summary>Every branch published with a level enters the register; a repeat leaves rows a change has touched alone.</summary>
    async Task RegisterAsync(PublishRatingsInput input)
    {
        var (campaign, _) = await campaigns.GetAsync(input.CampaignId)
            ?? throw new InvalidOperationException($"No campaign '{input.CampaignId}'.");
        int year = campaign.Definition.Year ?? input.PublishedAt.UtcDateTime.Year;
        HashSet<string> registered = [.. (await honours.ReadCampaignAsync(input.CampaignId)).Select(h => h.BranchId)];
        await honours.WriteAsync((await ratings.ReadPublishedAsync(input.CampaignId))
            .Select(r => Honour.Of(input.CampaignId, year, r, input.PublishedAt)).OfType<Honour>()
            .Where(h => !registered.Contains(h.BranchId)));
    }
}
