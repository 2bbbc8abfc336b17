using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Activities;

/// <summary>
/// Ranks the scored evaluations, writes the proposed list, seals it in the campaign's audit chain (a "proposed" link whose
/// content is the list's digest) and opens the public notice; once the notice is open, a repeat of it changes nothing.
/// </summary>
public sealed class ProposeRatingsActivity(CampaignStore campaigns, RankingReader reader, RatingStore ratings, AuditStore audit,
    TimeProvider clock, ILogger<ProposeRatingsActivity> log)
    : EvalActivity<ProposeRatingsInput, int>
{
    public override async Task<int> RunAsync(ProposeRatingsInput input)
    {
        var (campaign, _) = await campaigns.GetAsync(input.CampaignId)
            ?? throw new InvalidOperationException($"No campaign '{input.CampaignId}'.");
        // Proposed before: this is the same message delivered again after a crash, and the notice may have moved on
        // (an objection upheld, the list published). Writing again would undo that.
        if (campaign.Status != CampaignStatus.Running) return (await ratings.ReadProposedAsync(input.CampaignId)).Count;
        CampaignDefinition definition = campaign.Definition;
        List<RankingEntry> entries = await reader.EntriesAsync(definition, input.CampaignId);
        IReadOnlyList<RankedBranch> ranking = Ranking.Rank(entries, definition.RankedLevels(), definition.Rubric.UnityMinShare,
            definition.RankWithinCategory, await reader.AllocationUnitNamesAsync(definition));
        await ratings.WriteProposedAsync(input.CampaignId, ranking);
        // Once: a repeat after a crash between the link and the status finds it (and wrote the same ranking again).
        if (!await audit.CampaignChainHasAsync(input.CampaignId, HistoryActions.Proposed))
            await audit.AppendToCampaignAsync(input.CampaignId,
                new HistoryEntry(clock.GetUtcNow(), SystemActor.Instance.Id, SystemActor.Instance.Role, HistoryActions.Proposed,
                    $"{ranking.Count} ranked"),
                AuditContent.OfRatings(ranking));
        await campaigns.UpdateAsync(input.CampaignId,
            c => c with { Status = CampaignStatus.Publicity, PublicityEndsAt = input.PublicityEndsAt });
        log.LogInformation("Campaign {CampaignId} (instance {InstanceId}) proposed {Count} ratings, notice until {PublicityEndsAt:O}",
            input.CampaignId, InstanceIds.Campaign(input.CampaignId), ranking.Count, input.PublicityEndsAt);
        return ranking.Count;
    }
}
