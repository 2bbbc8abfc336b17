using Eval.Application.Campaigns;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;

namespace Eval.Application.Statistics;

/// <summary>The campaign and the unit a report is asked for, once the caller may have it.</summary>
public sealed record ReportScope(CampaignRecord Campaign, string Unit);

/// <summary>
/// A campaign's statistics per unit (GET /api/campaigns/{cid}/statistics). Computing them reads the whole campaign (a few
/// columns of its evaluations, its list, its ballot boxes), so each host keeps the campaign's computed statistics at most
/// <see cref="MaxAge"/> (built once however many ask at once, and in the background for a screen that polls: see
/// <see cref="RecentPerCampaign{T}"/>), and a request only picks its unit's rows out of them.
/// </summary>
public sealed class StatisticsQueries(CampaignAccess access, EvaluationStore evaluations, RatingStore ratings, AppraisalStore appraisals,
    UnitNames names, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);

    /// <summary>The roles that read statistics and exports: those that run, score and review the evaluations of a unit.</summary>
    public static readonly IReadOnlyList<string> Readers = [Roles.OrgDepartment, Roles.CountyScorer, Roles.TownshipReviewer];

    const string ReadersOnly = "Statistics and exports are for the organization department, county scorers and township reviewers.";

    readonly RecentPerCampaign<StatisticsSnapshot> recent = new(MaxAge, refreshAfter: MaxAge / 2, clock);

    public async Task<Result<CampaignStatistics>> GetAsync(Caller caller, string campaignId, string? unit, CancellationToken ct)
    {
        Result<ReportScope> scope = await ScopeAsync(caller, campaignId, unit, ct);
        if (!scope.Ok) return scope.Problem;
        Recent<StatisticsSnapshot> snapshot = await RecentAsync(scope.Value.Campaign, ct);
        return snapshot.Value.For(scope.Value, snapshot.AsOf, (int)MaxAge.TotalSeconds);
    }

    /// <summary>The campaign's statistics at most <see cref="MaxAge"/> old (the statistics export reads them too).</summary>
    public Task<Recent<StatisticsSnapshot>> RecentAsync(CampaignRecord campaign, CancellationToken ct) =>
        recent.GetAsync(campaign, token => ComputeAsync(campaign, token), ct);

    /// <summary>
    /// Who may have a report of which unit: one of <see cref="Readers"/>, at, above or inside the campaign's unit; the unit
    /// (as sent; default: the campaign's, or the caller's own when it lies inside the campaign's) must be covered by the
    /// caller (403) and lie at or under the campaign's unit (422).
    /// </summary>
    public async Task<Result<ReportScope>> ScopeAsync(Caller caller, string campaignId, string? unit, CancellationToken ct)
    {
        if (!Readers.Any(caller.HasRole)) return Problem.Forbidden(ReadersOnly);
        var (campaign, _, missing) = await access.LoadAsync(campaignId, ct);
        if (missing is not null) return missing;
        if (!CampaignAccess.CanSee(caller, campaign!)) return Problem.Forbidden("This campaign is outside your unit.");
        string campaignUnit = campaign!.Definition.Unit;
        unit ??= caller.Covers(campaignUnit) ? campaignUnit : caller.Unit;
        if (!UnitPath.IsValid(unit)) return Problem.Validation([new FieldError("/query/unit", "not a unit id")]);
        if (!caller.Covers(unit)) return Problem.Forbidden($"Unit '{unit}' is outside your unit '{caller.Unit}'.");
        if (!UnitPath.Covers(campaignUnit, unit))
            return Problem.Validation([new FieldError("/query/unit", $"a unit at or under the campaign's unit '{campaignUnit}'")]);
        return new ReportScope(campaign, unit);
    }

    async Task<StatisticsSnapshot> ComputeAsync(CampaignRecord campaign, CancellationToken ct)
    {
        DateTimeOffset now = clock.GetUtcNow();
        string campaignId = campaign.Definition.Id;
        string? levelsFrom = campaign.Status switch
        {
            CampaignStatus.Publicity => "proposed",
            CampaignStatus.Published => "published",
            _ => null,
        };
        Task<Dictionary<string, string>> unitNames = names.AroundAsync(campaign.Definition.Unit, ct);
        Task<Dictionary<string, string>> levels = levelsFrom is null
            ? Task.FromResult(new Dictionary<string, string>())
            : LevelsAsync(campaignId, levelsFrom == "published", ct);
        Task<Dictionary<string, BallotBox>> boxes = campaign.Definition.Appraisal is null
            ? Task.FromResult(new Dictionary<string, BallotBox>())
            : BoxesAsync(campaignId, ct);
        var facts = new List<BranchFacts>();
        var rows = evaluations.Query(campaignId, null, null, pageSize: 1000, select:
            ["RowKey", "BranchName", "Stage", "Overdue", "StageDeadline", "Outcome", "FinalScore", "UnityShare", "Appraisal",
                "AppraisalInvalid"]);
        await foreach (var row in rows.WithCancellation(ct))
        {
            string stage = row.GetString("Stage") ?? Stages.AwaitingSelfAssessment, outcome = row.GetString("Outcome") ?? "";
            bool counted = row.GetString("Appraisal") is not null;
            facts.Add(new BranchFacts(row.RowKey, row.GetString("BranchName") ?? row.RowKey, stage,
                row.GetBoolean("Overdue") == true || (stage != Stages.Done && row.GetDateTimeOffset("StageDeadline") < now),
                outcome.Length > 0 ? outcome : null,
                outcome == Outcomes.Scored && row.GetDouble("FinalScore") is double score ? (decimal)score : null,
                row.GetDouble("UnityShare") is double share ? (decimal)share : null, null)
            {
                AppraisalCounted = counted,
                AppraisalValid = counted && row.GetString("AppraisalInvalid") is null,
            });
        }
        Dictionary<string, string> levelOf = await levels;
        Dictionary<string, BallotBox> boxOf = await boxes;
        BranchFacts[] branches = [.. facts.Select(f => f with
            {
                Level = levelOf.GetValueOrDefault(f.BranchId),
                Eligible = boxOf.GetValueOrDefault(f.BranchId)?.Eligible ?? 0,
                Ballots = boxOf.GetValueOrDefault(f.BranchId)?.Ballots ?? 0,
            }).OrderBy(f => f.BranchId, StringComparer.Ordinal)];
        return StatisticsSnapshot.Of(campaign.Definition, levelsFrom, branches, await unitNames);
    }

    async Task<Dictionary<string, string>> LevelsAsync(string campaignId, bool published, CancellationToken ct)
    {
        var levels = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (RankedBranch r in ratings.StreamAsync(campaignId, published, null, ["RowKey", "Level"], ct))
            levels[r.BranchId] = r.Level;
        return levels;
    }

    async Task<Dictionary<string, BallotBox>> BoxesAsync(string campaignId, CancellationToken ct)
    {
        var boxes = new Dictionary<string, BallotBox>(StringComparer.Ordinal);
        await foreach (var (branchId, box) in appraisals.BoxesAsync(campaignId, ct)) boxes[branchId] = box;
        return boxes;
    }
}

/// <summary>
/// A campaign's statistics as computed once: every branch's facts in id order, and the sums of every unit above the
/// branches (the campaign's unit, its counties and townships, named or with evaluations). A request's unit reads its own
/// sums and its children's; a township's children are its branches, each from its facts.
/// </summary>
public sealed class StatisticsSnapshot
{
    StatisticsSnapshot(CampaignDefinition definition, string? levelsFrom, BranchFacts[] branches, Dictionary<string, UnitTally> units,
        Dictionary<string, string> names)
    {
        Definition = definition;
        LevelsFrom = levelsFrom;
        Branches = branches;
        this.units = units;
        this.names = names;
    }

    readonly Dictionary<string, UnitTally> units;
    readonly Dictionary<string, string> names;

    public CampaignDefinition Definition { get; }
    public string? LevelsFrom { get; }
    public IReadOnlyList<BranchFacts> Branches { get; }

    /// <summary>The level ids the statistics count: the campaign's, then none and revoked; none before there is a list.</summary>
    public IReadOnlyList<string>? LevelIds =>
        LevelsFrom is null ? null : [.. Definition.Levels.Select(l => l.Id), Ranking.NoLevel, Ranking.Revoked];

    public static StatisticsSnapshot Of(CampaignDefinition definition, string? levelsFrom, BranchFacts[] branches,
        Dictionary<string, string> names)
    {
        int top = UnitPath.Depth(definition.Unit), branchDepth = UnitKinds.DepthOf(UnitKinds.Branch);
        var units = new Dictionary<string, UnitTally>(StringComparer.Ordinal);
        foreach (string id in names.Keys.Where(id => UnitPath.Covers(definition.Unit, id) && UnitPath.Depth(id) < branchDepth))
            units[id] = new UnitTally();
        foreach (BranchFacts b in branches)
            for (int depth = top; depth < branchDepth; depth++)
            {
                string unit = UnitPath.AncestorAt(b.BranchId, depth);
                if (!units.TryGetValue(unit, out UnitTally? tally)) units[unit] = tally = new UnitTally();
                tally.Add(b);
            }
        return new StatisticsSnapshot(definition, levelsFrom, branches, units, names);
    }

    /// <summary>The name of a unit: as the org tree has it, or as the evaluation of a branch keeps it; its id otherwise.</summary>
    public string NameOf(string unit) =>
        names.TryGetValue(unit, out string? name) ? name : FactsOf(unit)?.Name ?? unit;

    BranchFacts? FactsOf(string branchId)
    {
        int at = BranchIndex(branchId);
        return at < Branches.Count && Branches[at].BranchId == branchId ? Branches[at] : null;
    }

    /// <summary>The index of the first branch whose id is not below <paramref name="id"/> (ordinal), as the table sorts them.</summary>
    int BranchIndex(string id)
    {
        int low = 0, high = Branches.Count;
        while (low < high)
        {
            int mid = (low + high) / 2;
            if (string.CompareOrdinal(Branches[mid].BranchId, id) < 0) low = mid + 1;
            else high = mid;
        }
        return low;
    }

    /// <summary>The branches at or under <paramref name="unit"/>, in id order: a slice of the sorted facts.</summary>
    IEnumerable<BranchFacts> BranchesUnder(string unit)
    {
        for (int i = BranchIndex(unit); i < Branches.Count && UnitPath.Covers(unit, Branches[i].BranchId); i++)
            yield return Branches[i];
    }

    UnitStatistics StatisticsOf(string unit)
    {
        bool appraisal = Definition.Appraisal is not null;
        if (units.TryGetValue(unit, out UnitTally? tally)) return tally.ToStatistics(unit, NameOf(unit), LevelIds, appraisal);
        var alone = new UnitTally();
        foreach (BranchFacts b in BranchesUnder(unit)) alone.Add(b);
        return alone.ToStatistics(unit, NameOf(unit), LevelIds, appraisal);
    }

    /// <summary>The rows of <paramref name="scope"/>'s unit: its own, and each child's in id order.</summary>
    public CampaignStatistics For(ReportScope scope, DateTimeOffset asOf, int maxAgeSeconds)
    {
        string unit = scope.Unit;
        int childDepth = UnitPath.Depth(unit) + 1;
        IEnumerable<string> children = childDepth == UnitKinds.DepthOf(UnitKinds.Branch)
            ? BranchesUnder(unit).Select(b => b.BranchId)
            : childDepth < UnitKinds.DepthOf(UnitKinds.Branch)
                ? units.Keys.Where(id => UnitPath.Depth(id) == childDepth && UnitPath.Covers(unit, id)).Order(StringComparer.Ordinal)
                : [];
        return new CampaignStatistics(Definition.Id, scope.Campaign.Status, unit, asOf, maxAgeSeconds, LevelsFrom, StatisticsOf(unit),
            [.. children.Select(StatisticsOf)]);
    }
}
