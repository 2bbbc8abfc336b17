using System.Globalization;
using System.Text.Json.Serialization;

namespace Eval.Workflows.Domain;

/// <summary>
/// A scored, non-vetoed branch as it enters the ranking, with its category (村, 社区, …) where the campaign ranks by it,
/// and what the level gates ask about: its rubric's unity minimum share (when its category's rubric has its own), the
/// flags its county scorers set, the number of uploaded files its self-assessment cites, its members' appraisal
/// (the satisfaction of a valid one, or why it does not count) and what the honours register held of it at the start.
/// </summary>
public sealed record RankingEntry(string BranchId, string BranchName, decimal Score, decimal UnityShare, string? Category = null)
{
    public decimal? UnityMinShare { get; init; }
    public IReadOnlyCollection<string> Flags { get; init; } = [];
    public int EvidenceFiles { get; init; }
    /// <summary>The satisfaction of a valid appraisal (0 to 1); null when it does not count or did not take place.</summary>
    public decimal? AppraisalSatisfaction { get; init; }
    /// <summary>Why the appraisal does not count, when it does not.</summary>
    public string? AppraisalInvalid { get; init; }
    /// <summary>The branch's titles in the honours register when the campaign started (none: it never had one).</summary>
    public BranchRegister? Register { get; init; }
}

/// <summary>
/// A branch's place in the ranking and the level it was given (a level id, or <see cref="Ranking.NoLevel"/>), with the
/// public short reason it did not reach the top level (<see cref="Reason"/>) and the full explanation for the roles in
/// scope (<see cref="Why"/>, kept out of the public list).
/// </summary>
public sealed record RankedBranch(string BranchId, string BranchName, decimal Score, decimal UnityShare, int Rank, string Level)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; init; }

    [JsonIgnore]
    public RatingExplanation? Why { get; init; }

    /// <summary>
    /// After publication, the title's standing in the honours register (<see cref="Honour"/>): the level held now, the
    /// status, since when and the reason's category. Not stored with the rating: the register is joined when the list is read.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HonourStanding? Honour { get; init; }
}

/// <summary>A title's standing as the public list shows it.</summary>
public sealed record HonourStanding(string CurrentLevel, string Status, DateTimeOffset Since, string? ReasonCategory)
{
    public static HonourStanding Of(Honour honour, DateTimeOffset now) =>
        new(honour.CurrentLevel, honour.StatusAt(now), honour.SinceAt(now), honour.ReasonCategory);
}

/// <summary>
/// Why a branch has its level (machine-readable): how it got the level it was given (<see cref="Given"/>, null with none)
/// and, for each level above it, what decided it missed that one; or, for a branch that was not ranked at all, why not
/// (<see cref="Unranked"/>: a veto or a missing score).
/// </summary>
public sealed record RatingExplanation(string Level, string? Given, IReadOnlyList<LevelMiss> Missed)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LevelMiss? Unranked { get; init; }

    /// <summary>Why an evaluation that ended without a score, or vetoed, has no level.</summary>
    public static RatingExplanation? NotRanked(EvaluationRecord evaluation, Rubric rubric)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(rubric);
        if (evaluation.Stage != Stages.Done || evaluation.Outcome == Outcomes.Scored) return null;
        LevelMiss why = evaluation.JointVeto is { } joint
            ? new(Ranking.NoLevel, MissReasons.Veto, "vetoed: " + joint.Detail)
            : evaluation.Outcome == Outcomes.Vetoed
            ? new(Ranking.NoLevel, MissReasons.Veto, "vetoed: " + string.Join("; ", evaluation.Scores
                .Select(s => s.Score.Veto).OfType<string>().Distinct(StringComparer.Ordinal)
                .Select(v => (rubric.VetoItems ?? []).FirstOrDefault(i => i.Id == v)?.Title ?? v)))
            : new(Ranking.NoLevel, MissReasons.NoScore, $"no score: {evaluation.Outcome}");
        return new RatingExplanation(Ranking.NoLevel, null, []) { Unranked = why };
    }
}

/// <summary>A level a branch missed: the level, the reason (<see cref="MissReasons"/>) and what it was, in words.</summary>
public sealed record LevelMiss(string Level, string Reason, string Detail);

public static class MissReasons
{
    public const string MinScore = "min-score";
    public const string UnityShare = GateKinds.UnityShare;
    public const string Flag = GateKinds.Flag;
    public const string Evidence = GateKinds.Evidence;
    public const string Appraisal = GateKinds.Appraisal;
    public const string NoRevocation = GateKinds.NoRevocation;
    public const string QuotaFull = "quota-full";
    public const string Veto = "veto";
    public const string NoScore = "no-score";
}

/// <summary>
/// Ranks the scored branches and gives them levels. Order: score, then unity share (both descending), then branch
/// id (ordinal), so every rank is distinct and the outcome never depends on input order. Walking down the ranking,
/// a branch gets the first level it reaches the minimum score of and whose quota is not yet full; the top level
/// also asks for the campaign's minimum unity share. A branch that misses a level may still get a lower one.
/// A quota counts within the branch's group: all ranked branches, or those of its county or township when the
/// level's places are handed down (<see cref="QuotaAllocation"/>), and of its category too when the campaign ranks
/// within categories.
/// </summary>
public static class Ranking
{
    /// <summary>The level of a branch that qualifies for none.</summary>
    public const string NoLevel = "none";

    /// <summary>The level of a branch whose level was withdrawn.</summary>
    public const string Revoked = "revoked";

    /// <param name="unitNames">Names of the counties and townships, for the explanations (ids where a name is missing).</param>
    public static IReadOnlyList<RankedBranch> Rank(IReadOnlyList<RankingEntry> entries, IReadOnlyList<Level> levels, decimal unityMinShare,
        bool withinCategory = false, IReadOnlyDictionary<string, string>? unitNames = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(levels);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (RankingEntry entry in entries)
            if (!seen.Add(entry.BranchId))
                throw new ArgumentException($"Branch '{entry.BranchId}' is listed twice.", nameof(entries));

        int count = entries.Count;
        // Per level, the group each branch counts in, and each group's places: a share of its ranked branches rounded
        // down (a level may hold fewer, never more), the places handed to its unit, or no limit.
        var groups = new Dictionary<string, string>[levels.Count];
        var places = new Dictionary<string, int>[levels.Count];
        for (int l = 0; l < levels.Count; l++)
        {
            Level level = levels[l];
            // The allocation's unit is the branch's ancestor at its kind's depth; without one, a single group.
            int depth = level.Allocation is { } allocation ? UnitKinds.DepthOf(allocation.By) : 0;
            if (level.Allocation is not null && depth is not (2 or 3))
                throw new ArgumentException(
                    $"Places are handed down to counties or townships, not '{level.Allocation.By}'.", nameof(levels));
            groups[l] = entries.ToDictionary(e => e.BranchId, e => GroupOf(e, depth, withinCategory), StringComparer.Ordinal);
            places[l] = groups[l].Values.GroupBy(g => g, StringComparer.Ordinal).ToDictionary(g => g.Key, g =>
                level.Allocation?.Places is { } handed ? handed.GetValueOrDefault(UnitOf(g.Key))
                : level.Quota is decimal q ? (int)Math.Max(0m, Math.Floor(q * g.Count()))
                : int.MaxValue, StringComparer.Ordinal);
        }

        List<RankingEntry> ordered = entries
            .OrderByDescending(e => e.Score)
            .ThenByDescending(e => e.UnityShare)
            .ThenBy(e => e.BranchId, StringComparer.Ordinal)
            .ToList();

        // Level by level, top first: each branch not yet given a level tries this one in rank order, so a place goes to
        // the best-ranked branch that qualifies, exactly as a walk down the ranking trying each branch's levels would.
        var levelOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        Dictionary<string, List<LevelMiss>> missed =
            ordered.ToDictionary(e => e.BranchId, _ => new List<LevelMiss>(), StringComparer.Ordinal);
        for (int l = 0; l < levels.Count; l++)
        {
            Level level = levels[l];
            // Per group, the rank of the branch that took its last place, for "quota full at rank 95 in 红山区".
            var lastTaken = new Dictionary<string, int>(StringComparer.Ordinal);
            var placeless = new List<RankingEntry>();
            for (int position = 0; position < ordered.Count; position++)
            {
                RankingEntry entry = ordered[position];
                if (levelOf.ContainsKey(entry.BranchId)) continue;
                string group = groups[l][entry.BranchId];
                if (Check(level, l == 0, entry, unityMinShare) is { } miss)
                {
                    missed[entry.BranchId].Add(miss);
                    continue;
                }
                if (places[l][group] == 0)
                {
                    missed[entry.BranchId].Add(new LevelMiss(level.Id, MissReasons.QuotaFull,
                        QuotaFull(lastTaken.GetValueOrDefault(group), Describe(group, unitNames))));
                    placeless.Add(entry);
                    continue;
                }
                places[l][group]--;
                lastTaken[group] = position + 1;
                levelOf[entry.BranchId] = l;
                bool limited = level.Quota is not null || level.Allocation?.Places is not null;
                given[entry.BranchId] = Reached(entry, level) + (limited ? $", within the places of {Describe(group, unitNames)}" : "");
            }
            if (level.Allocation?.MoveUnusedUp == true) MoveUp(l, placeless);
        }

        // The places the level's units left unused go, in rank order, to the branches that qualified but found their own
        // unit's places taken (within their category when the campaign ranks by it).
        void MoveUp(int l, List<RankingEntry> placeless)
        {
            Dictionary<string, int> unused = places[l].GroupBy(g => CategoryOf(g.Key), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Sum(p => p.Value), StringComparer.Ordinal);
            foreach (RankingEntry entry in placeless)
            {
                string category = CategoryOf(groups[l][entry.BranchId]);
                if (unused.GetValueOrDefault(category) == 0) continue;
                unused[category]--;
                levelOf[entry.BranchId] = l;
                missed[entry.BranchId].RemoveAt(missed[entry.BranchId].Count - 1);
                given[entry.BranchId] = Reached(entry, levels[l]) +
                    $", a place another unit left unused ({Describe(groups[l][entry.BranchId], unitNames)} was full)";
            }
        }

        var ranked = new List<RankedBranch>(count);
        for (int position = 0; position < ordered.Count; position++)
        {
            RankingEntry entry = ordered[position];
            string level = levelOf.TryGetValue(entry.BranchId, out int l) ? levels[l].Id : NoLevel;
            List<LevelMiss> misses = missed[entry.BranchId];
            ranked.Add(new RankedBranch(entry.BranchId, entry.BranchName, entry.Score, entry.UnityShare, position + 1, level)
            {
                Reason = misses.Count == 0 ? null : $"{levels[0].Title}: {misses[0].Detail}",
                Why = new RatingExplanation(level, given.GetValueOrDefault(entry.BranchId), misses),
            });
        }
        return ranked;
    }

    static string CategoryOf(string group) => group[(group.IndexOf('|') + 1)..];

    static string Reached(RankingEntry entry, Level level) => $"score {Number(entry.Score)} ≥ {Number(level.MinScore)}";

    /// <summary>The first of the level's conditions the branch does not meet, in the order score, unity share, gates.</summary>
    static LevelMiss? Check(Level level, bool isTop, RankingEntry entry, decimal unityMinShare)
    {
        if (entry.Score < level.MinScore)
            return new(level.Id, MissReasons.MinScore, $"score {Number(entry.Score)} < {Number(level.MinScore)}");
        decimal minShare = entry.UnityMinShare ?? unityMinShare;
        if (isTop && entry.UnityShare < minShare)
            return new(level.Id, MissReasons.UnityShare, $"unity share {Number(entry.UnityShare)} < {Number(minShare)}");
        foreach (LevelGate gate in level.Gates ?? [])
        {
            LevelMiss? miss = gate.Kind switch
            {
                GateKinds.UnityShare when entry.UnityShare < gate.MinShare => new(level.Id, MissReasons.UnityShare,
                    $"unity share {Number(entry.UnityShare)} < {Number(gate.MinShare.Value)}"),
                GateKinds.Flag when !entry.Flags.Contains(gate.Flag) => new(level.Id, MissReasons.Flag,
                    $"no county scorer marked it {gate.Flag}"),
                GateKinds.Evidence when entry.EvidenceFiles < gate.MinFiles => new(level.Id, MissReasons.Evidence,
                    $"{entry.EvidenceFiles} uploaded files cited < {gate.MinFiles}"),
                GateKinds.Appraisal when entry.AppraisalSatisfaction is null => new(level.Id, MissReasons.Appraisal,
                    $"members' appraisal does not count: {entry.AppraisalInvalid ?? "none took place"}"),
                GateKinds.Appraisal when entry.AppraisalSatisfaction < gate.MinSatisfaction => new(level.Id, MissReasons.Appraisal,
                    $"members' satisfaction {AppraisalResult.Percent(entry.AppraisalSatisfaction.Value)} < " +
                    AppraisalResult.Percent(gate.MinSatisfaction.Value)),
                GateKinds.NoRevocation when RevokedWithin(entry, gate) is { } revoked => new(level.Id, MissReasons.NoRevocation, revoked),
                GateKinds.UnityShare or GateKinds.Flag or GateKinds.Evidence or GateKinds.Appraisal or GateKinds.NoRevocation => null,
                _ => throw new ArgumentException($"'{gate.Kind}' is not a level gate.", nameof(level)),
            };
            if (miss is not null) return miss;
        }
        return null;
    }

    /// <summary>A revocation within a no-revocation gate's period, in words; null when there is none.</summary>
    static string? RevokedWithin(RankingEntry entry, LevelGate gate)
    {
        int within = gate.WithinDays ?? LevelGate.DefaultWithinDays;
        return entry.Register is { RevokedAt: { } at, RevokedDaysBeforeStart: { } days } && days < within
            ? $"title revoked {at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}, " +
              $"{days} days before the campaign's start (within {within})"
            : null;
    }

    static string QuotaFull(int lastRank, string group) =>
        lastRank == 0 ? $"no places in {group}" : $"quota full at rank {lastRank} in {group}";

    /// <summary>A group in words: its unit's name (or all ranked branches) and its category.</summary>
    static string Describe(string group, IReadOnlyDictionary<string, string>? unitNames)
    {
        string unit = UnitOf(group), category = group[(group.IndexOf('|') + 1)..];
        string where = unit == "" ? "all ranked branches" : unitNames?.GetValueOrDefault(unit) ?? unit;
        return category == "" ? where : $"{where} ({category})";
    }

    static string Number(decimal value) => value.ToString("0.00##", CultureInfo.InvariantCulture);

    /// <summary>
    /// "unit|category": the allocation's unit above the branch ("" when the places are not handed down), and its category.
    /// </summary>
    static string GroupOf(RankingEntry entry, int allocationDepth, bool withinCategory)
    {
        string unit = allocationDepth == 0 ? "" : UnitPath.AncestorAt(entry.BranchId, allocationDepth);
        return $"{unit}|{(withinCategory ? entry.Category ?? "" : "")}";
    }

    static string UnitOf(string group) => group[..group.IndexOf('|')];
}
