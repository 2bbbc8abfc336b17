using Eval.Workflows.Domain;

namespace Eval.Workflows.Storage;

/// <summary>
/// What the ranking needs of a campaign's scored evaluations (one partition query of small columns), and the names of
/// the units its places go to. The proposed list and the organization department's rehearsals read it the same way.
/// </summary>
public sealed class RankingReader(EvaluationStore evaluations, UnitStore units)
{
    /// <summary>
    /// The scored evaluations as ranking entries, scored as they were; with <paramref name="rescore"/>, scored again
    /// from their points under the changed rubric (a rehearsal of other weights: every record is read in full).
    /// </summary>
    public async Task<List<RankingEntry>> EntriesAsync(CampaignDefinition definition, string campaignId,
        Func<Rubric, Rubric>? rescore = null, CancellationToken ct = default)
    {
        // Each evaluation keeps the category its branch had at the start (which chose its rubric); evaluations started
        // before categories were kept take the org tree's, read only when the campaign ranks by them.
        Dictionary<string, string?> categories = definition.RankWithinCategory
            ? (await units.BranchesUnderAsync(definition.Unit, ct)).ToDictionary(u => u.Id, u => u.Category, StringComparer.Ordinal)
            : [];
        var entries = new List<RankingEntry>();
        string[]? columns = rescore is null
            ? ["RowKey", "BranchName", "Outcome", "FinalScore", "UnityShare", "Category", "Flags", "EvidenceFiles", "JointVeto",
                "AppraisalSatisfaction", "AppraisalInvalid", "Register"]
            : null;
        await foreach (var row in evaluations.Query(campaignId, null, null, select: columns, pageSize: 1000).WithCancellation(ct))
        {
            // A joint veto kept on the record counts as soon as it is there, before the record's outcome says vetoed.
            if (row.GetString("Outcome") != Outcomes.Scored || row.GetString("JointVeto") is not null) continue;
            string? category = row.GetString("Category") ?? categories.GetValueOrDefault(row.RowKey);
            Rubric rubric = definition.RubricFor(category);
            (decimal score, decimal share) = ((decimal)(row.GetDouble("FinalScore") ?? 0), (decimal)(row.GetDouble("UnityShare") ?? 0));
            if (rescore is not null)
            {
                EvaluationRecord record = EvaluationStore.FromEntity(row);
                ScoreResult result = Scoring.Breakdown(rescore(rubric), [.. record.Scores.Select(s => s.Score.Scores)],
                    ScoreAdjustments.Of(record.Review?.Review, record.Scores.Select(s => s.Score)) with
                    {
                        Appraisal = record.Appraisal?.ScoreValue,
                    }).Result;
                (score, share) = (result.Final, result.UnityShare);
            }
            entries.Add(new RankingEntry(row.RowKey, row.GetString("BranchName") ?? row.RowKey, score, share, category)
            {
                UnityMinShare = rubric.UnityMinShare,
                Flags = row.GetString("Flags")?.Split(',') ?? [],
                EvidenceFiles = row.GetInt32("EvidenceFiles") ?? 0,
                AppraisalSatisfaction = row.GetDouble("AppraisalSatisfaction") is double satisfaction ? (decimal)satisfaction : null,
                AppraisalInvalid = row.GetString("AppraisalInvalid"),
                Register = Json.Read<BranchRegister>(row.GetString("Register")),
            });
        }
        return entries;
    }

    /// <summary>The names of the units from the campaign's unit down to <paramref name="depth"/>, by id.</summary>
    public async Task<Dictionary<string, string>> UnitNamesAsync(string unit, int depth, CancellationToken ct = default)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var parents = new List<string> { unit };
        for (int level = UnitPath.Depth(unit) + 1; level <= depth; level++)
        {
            var children = new List<string>();
            foreach (string parent in parents)
                foreach (Unit child in await units.ChildrenAsync(parent, ct))
                {
                    names[child.Id] = child.Name;
                    children.Add(child.Id);
                }
            parents = children;
        }
        return names;
    }

    /// <summary>The names of the counties or townships places are handed to; none without allocations.</summary>
    public Task<Dictionary<string, string>> AllocationUnitNamesAsync(CampaignDefinition definition, CancellationToken ct = default) =>
        UnitNamesAsync(definition.Unit,
            definition.Levels.Select(l => l.Allocation is { } a ? UnitKinds.DepthOf(a.By) : 0).DefaultIfEmpty(0).Max(), ct);
}
