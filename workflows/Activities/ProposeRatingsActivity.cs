using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Activities;

/// <summary>
/// Ranks the scored evaluations, writes the proposed list and opens the public notice; once the notice is open, a
/// repeat of it changes nothing.
/// </summary>
public sealed class ProposeRatingsActivity(
    CampaignStore campaigns, EvaluationStore evaluations, RatingStore ratings, UnitStore units, ILogger<ProposeRatingsActivity> log)
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
        // Each evaluation keeps the category its branch had at the start (which chose its rubric); evaluations started
        // before categories were kept take the org tree's, read only when the campaign ranks by them.
        Dictionary<string, string?> categories = definition.RankWithinCategory
            ? (await units.BranchesUnderAsync(definition.Unit)).ToDictionary(u => u.Id, u => u.Category, StringComparer.Ordinal)
            : [];
        var entries = new List<RankingEntry>();
        string[] columns = ["RowKey", "BranchName", "Outcome", "FinalScore", "UnityShare", "Category", "Flags", "EvidenceFiles"];
        await foreach (var row in evaluations.Query(input.CampaignId, null, null, select: columns, pageSize: 1000))
        {
            if (row.GetString("Outcome") != Outcomes.Scored) continue;
            string? category = row.GetString("Category") ?? categories.GetValueOrDefault(row.RowKey);
            entries.Add(new RankingEntry(row.RowKey, row.GetString("BranchName") ?? row.RowKey,
                (decimal)(row.GetDouble("FinalScore") ?? 0), (decimal)(row.GetDouble("UnityShare") ?? 0), category)
            {
                UnityMinShare = definition.RubricFor(category).UnityMinShare,
                Flags = row.GetString("Flags")?.Split(',') ?? [],
                EvidenceFiles = row.GetInt32("EvidenceFiles") ?? 0,
            });
        }
        IReadOnlyList<RankedBranch> ranking = Ranking.Rank(entries, definition.Levels, definition.Rubric.UnityMinShare,
            definition.RankWithinCategory, await AllocationUnitNamesAsync(definition));
        await ratings.WriteProposedAsync(input.CampaignId, ranking);
        await campaigns.UpdateAsync(input.CampaignId,
            c => c with { Status = CampaignStatus.Publicity, PublicityEndsAt = input.PublicityEndsAt });
        log.LogInformation("Campaign {CampaignId} (instance {InstanceId}) proposed {Count} ratings, notice until {PublicityEndsAt:O}",
            input.CampaignId, InstanceIds.Campaign(input.CampaignId), ranking.Count, input.PublicityEndsAt);
        return ranking.Count;
    }

    /// <summary>The names of the counties or townships that places are handed to, for the explanations; none without allocations.</summary>
    async Task<Dictionary<string, string>> AllocationUnitNamesAsync(CampaignDefinition definition)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        int deepest = definition.Levels.Select(l => l.Allocation is { } a ? UnitKinds.DepthOf(a.By) : 0).DefaultIfEmpty(0).Max();
        var parents = new List<string> { definition.Unit };
        for (int depth = UnitPath.Depth(definition.Unit) + 1; depth <= deepest; depth++)
        {
            var children = new List<string>();
            foreach (string parent in parents)
                foreach (Unit unit in await units.ChildrenAsync(parent))
                {
                    names[unit.Id] = unit.Name;
                    children.Add(unit.Id);
                }
            parents = children;
        }
        return names;
    }
}
