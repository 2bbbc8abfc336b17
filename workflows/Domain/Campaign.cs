using System.Text.Json.Serialization;

namespace Eval.Workflows.Domain;

/// <summary>
/// One scoring item of the rubric (基本项). Unity criteria (民族团结进步), or criteria of a unity section, carry the extra
/// weight and the minimum share; a criterion may require file evidence in every self-assessment, and belongs to the
/// section <paramref name="Section"/> names when the rubric has sections.
/// </summary>
public sealed record Criterion(string Id, string Title, decimal MaxPoints, bool Unity = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EvidenceRequirement? Evidence = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Section = null);

/// <summary>A section of the rubric (e.g. 政治引领) grouping criteria; a unity section makes all its criteria unity criteria.</summary>
public sealed record RubricSection(string Id, string Title, bool Unity = false);

/// <summary>
/// A deduction item (减分项): <paramref name="PointsEach"/> off per occurrence, at most <paramref name="Cap"/> in all
/// ("每缺少一人次减0.5分，最高减4分"), applied by the township reviewer or the county scorer with a reason.
/// </summary>
public sealed record DeductionItem(string Id, string Title, decimal PointsEach, decimal Cap);

/// <summary>A bonus item (加分项): up to <paramref name="MaxPoints"/>, awarded with a reason.</summary>
public sealed record BonusItem(string Id, string Title, decimal MaxPoints);

/// <summary>
/// A weighted part of the score: <see cref="ScoreComponents.Basic"/> (the criteria, less deductions) or
/// <see cref="ScoreComponents.Appraisal"/> (the members' appraisal, 民主测评). A rubric's weights sum to 1.
/// </summary>
public sealed record ScoreComponent(string Kind, decimal Weight);

public static class ScoreComponents
{
    public const string Basic = "basic";
    public const string Appraisal = "appraisal";

    public static readonly IReadOnlyList<string> All = [Basic, Appraisal];
}

/// <summary>A mark a county scorer may set on a branch (e.g. innovation: 党建创新项目), for the level gates asking for it.</summary>
public sealed record ScorerFlag(string Id, string Title);

/// <summary>A disqualifying event (一票否决).</summary>
public sealed record VetoItem(string Id, string Title);

/// <summary>
/// How a branch is scored (docs/scoring.md). A flat rubric (criteria alone) scores as a rubric of one section, with the
/// basic component at weight 1, no deductions, no bonuses and no cap.
/// </summary>
public sealed record Rubric(
    IReadOnlyList<Criterion> Criteria, decimal UnityWeight, decimal UnityMinShare, IReadOnlyList<VetoItem> VetoItems)
{
    // Each of these is left out of the JSON when absent, so a flat rubric reads and writes as it always did.
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<RubricSection>? Sections { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<DeductionItem>? Deductions { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<BonusItem>? Bonuses { get; init; }
    /// <summary>The most all bonuses together may add (none: the sum of the items' own maxima).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? BonusCap { get; init; }
    /// <summary>The weighted parts of the score; none means the basic component alone, at weight 1.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ScoreComponent>? Components { get; init; }
    /// <summary>The most a total may reach after bonuses (none: no cap, so a total may exceed 100).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? MaxTotal { get; init; }
    /// <summary>The marks a county scorer may set (<see cref="ScorerFlag"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ScorerFlag>? Flags { get; init; }

    /// <summary>Whether the criterion counts as unity: marked so itself, or in a unity section.</summary>
    public bool IsUnity(Criterion criterion) =>
        criterion.Unity || (criterion.Section is { } id && (Sections ?? []).Any(s => s.Id == id && s.Unity));

    /// <summary>The components as scored: the declared ones, or the basic component alone at weight 1.</summary>
    public IReadOnlyList<ScoreComponent> ScoredComponents() =>
        Components is { Count: > 0 } declared ? declared : [new ScoreComponent(ScoreComponents.Basic, 1m)];
}

/// <summary>
/// A rating level; the first level in the campaign's order is the top one. Quota: the largest share of ranked branches,
/// of all of them, or of each unit's when the places are handed down (<see cref="Allocation"/>).
/// </summary>
public sealed record Level(string Id, string Title, decimal MinScore, decimal? Quota = null)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public QuotaAllocation? Allocation { get; init; }

    /// <summary>What a branch must also show to be given the level (<see cref="LevelGate"/>), besides its score.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<LevelGate>? Gates { get; init; }
}

/// <summary>
/// A condition of a level from the fixed list <see cref="GateKinds"/>, with its parameter: a least unity share
/// (<see cref="MinShare"/>), a flag a county scorer set (<see cref="Flag"/>), a least number of uploaded files the
/// self-assessment cites (<see cref="MinFiles"/>), or no title of the branch revoked within <see cref="WithinDays"/>
/// before the campaign's start. The top level always asks for its rubric's unityMinShare too.
/// </summary>
public sealed record LevelGate(string Kind)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? MinShare { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Flag { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MinFiles { get; init; }
    /// <summary>A no-revocation gate's period before the start, in days (none: <see cref="DefaultWithinDays"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? WithinDays { get; init; }
    /// <summary>Not written in a campaign's levels: the appraisal's gate (<see cref="AppraisalGate"/>) puts it there.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? MinSatisfaction { get; init; }

    /// <summary>The no-revocation gate's period when it names none: a year.</summary>
    public const int DefaultWithinDays = 365;
}

public static class GateKinds
{
    public const string UnityShare = "unity-share";
    public const string Flag = "flag";
    public const string Evidence = "evidence";
    /// <summary>No title of the branch revoked in the honours register within a period before the campaign's start.</summary>
    public const string NoRevocation = "no-revocation";
    /// <summary>The members' appraisal: valid, and at least the satisfaction; put on levels by the campaign's appraisal gate.</summary>
    public const string Appraisal = "appraisal";

    /// <summary>The kinds a campaign's levels may name (the appraisal's comes from its own gate).</summary>
    public static readonly IReadOnlyList<string> All = [UnityShare, Flag, Evidence, NoRevocation];
}

/// <summary>
/// A level's places handed down the tree (星级创评指导数 / 分配名额): each county or township under the campaign's unit
/// (<paramref name="By"/>) ranks its own branches, with the level's quota as a share of its ranked branches, or with
/// the explicit number of places <paramref name="Places"/> gives it (a unit it does not name gets none; ranked within
/// categories, each category of the unit gets that number). Places a unit does not use stay unused, unless
/// <see cref="MoveUnusedUp"/>: then they go to the best-ranked branches elsewhere that qualified but found their own
/// unit's places taken.
/// </summary>
public sealed record QuotaAllocation(string By, IReadOnlyDictionary<string, int>? Places = null)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool MoveUnusedUp { get; init; }
}

/// <summary>
/// When the people a step waits on are reminded of its deadline (each of <see cref="Before"/>, ISO-8601 durations before it:
/// by default three days and one day) and whether they, and whoever may act in their place, are told when it is missed
/// (<see cref="OnMiss"/>, by default yes). For the steps of evaluations and the decisions on changes of honours.
/// </summary>
public sealed record ReminderRules
{
    public static readonly IReadOnlyList<string> DefaultBefore = ["P3D", "P1D"];

    public static readonly ReminderRules Default = new();

    /// <summary>How long before a deadline each reminder is sent (none: <see cref="DefaultBefore"/>; empty: no reminders).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Before { get; init; }

    /// <summary>Whether a missed deadline is told (none: yes).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? OnMiss { get; init; }

    /// <summary>The reminders' offsets before a deadline, each once, as configured.</summary>
    public IReadOnlyList<(string Text, TimeSpan Offset)> Offsets() =>
        [.. (Before ?? DefaultBefore).Distinct(StringComparer.Ordinal).Select(b => (b, IsoDuration.Parse(b)))];

    [JsonIgnore]
    public bool TellsMiss => OnMiss ?? true;
}

/// <summary>Stage durations as ISO-8601 strings (P14D, PT3S), kept as given and parsed with <see cref="IsoDuration"/>.</summary>
public sealed record Schedule(string SelfAssessment, string TownshipReview, string CountyScoring, string Publicity);

/// <summary>The campaign as the organization department defines it (POST /api/campaigns).</summary>
public sealed record CampaignDefinition(
    string Id,
    string Title,
    string Unit,
    Rubric Rubric,
    IReadOnlyList<Level> Levels,
    Schedule Schedule,
    int ScorersPerBranch = 1,
    int MaxReturns = 2)
{
    /// <summary>Each category of branch (村, 社区, …) is ranked, and fills its places, on its own.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool RankWithinCategory { get; init; }

    /// <summary>The rubrics of the categories of branch scored their own way (<see cref="BranchCategories"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, Rubric>? Rubrics { get; init; }

    /// <summary>The year the titles are for, as the honours register lists them (none: the year of publication).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Year { get; init; }

    /// <summary>The members' appraisal (民主测评), when the campaign holds one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AppraisalDefinition? Appraisal { get; init; }

    /// <summary>How its honours are demoted or revoked through the year (动态管理); absent, the defaults.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HonourChangeRules? HonourChanges { get; init; }

    /// <summary>When people are reminded of a step's deadline, and told of a missed one; absent, the defaults.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ReminderRules? Reminders { get; init; }

    /// <summary>The reminder rules as applied: the campaign's, or the defaults.</summary>
    public ReminderRules ReminderRules() => Reminders ?? Domain.ReminderRules.Default;

    /// <summary>The rules of honour changes as applied: the campaign's, or the defaults.</summary>
    public HonourChangeRules ChangeRules() => HonourChanges ?? HonourChangeRules.Default;

    /// <summary>
    /// The levels as ranked: the campaign's, with the appraisal's gate on every level above the one it caps at.
    /// </summary>
    public IReadOnlyList<Level> RankedLevels() => RankedLevels(Levels, Appraisal);

    /// <summary><paramref name="levels"/> with <paramref name="appraisal"/>'s gate on every level above the one it caps at.</summary>
    public static IReadOnlyList<Level> RankedLevels(IReadOnlyList<Level> levels, AppraisalDefinition? appraisal)
    {
        if (appraisal?.Gate is not { } gate) return levels;
        int cap = gate.CapsAt == Ranking.NoLevel ? levels.Count : levels.ToList().FindIndex(l => l.Id == gate.CapsAt);
        return [.. levels.Select((level, i) => i >= cap || cap < 0 ? level : level with
        {
            Gates = [.. level.Gates ?? [], new LevelGate(GateKinds.Appraisal) { MinSatisfaction = gate.MinSatisfaction }],
        })];
    }

    /// <summary>The rubric a branch of <paramref name="category"/> is scored by: its category's, or the campaign's.</summary>
    public Rubric RubricFor(string? category) =>
        category is not null && Rubrics is { } rubrics && rubrics.TryGetValue(category, out Rubric? own) ? own : Rubric;
}

public static class CampaignStatus
{
    public const string Created = "created";
    public const string Running = "running";
    public const string Publicity = "publicity";
    public const string Published = "published";

    public static readonly IReadOnlyList<string> All = [Created, Running, Publicity, Published];
}
