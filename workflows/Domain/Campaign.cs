namespace Eval.Workflows.Domain;

/// <summary>
/// One scoring item of the rubric. Unity criteria (民族团结进步) carry the extra weight and the minimum share; a criterion
/// may require file evidence in every self-assessment.
/// </summary>
public sealed record Criterion(string Id, string Title, decimal MaxPoints, bool Unity = false, EvidenceRequirement? Evidence = null);

/// <summary>A disqualifying event (一票否决).</summary>
public sealed record VetoItem(string Id, string Title);

public sealed record Rubric(
    IReadOnlyList<Criterion> Criteria, decimal UnityWeight, decimal UnityMinShare, IReadOnlyList<VetoItem> VetoItems);

/// <summary>A rating level; the first level in the campaign's order is the top one. Quota: the largest share of ranked branches.</summary>
public sealed record Level(string Id, string Title, decimal MinScore, decimal? Quota = null);

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
    int MaxReturns = 2);

public static class CampaignStatus
{
    public const string Created = "created";
    public const string Running = "running";
    public const string Publicity = "publicity";
    public const string Published = "published";

    public static readonly IReadOnlyList<string> All = [Created, Running, Publicity, Published];
}
