using System.Text.Json;
using System.Text.Json.Serialization;

namespace Eval.Workflows.Domain;

/// <summary>
/// An evaluation's orchestration shows where it waits as its custom status. It is set in the first episode, before any
/// wait, so a status at all means the start was processed (FinishStartActivity counts on that).
/// </summary>
public sealed record EvaluationWorkflowStatus(
    [property: JsonPropertyName("stage")] string Stage,
    [property: JsonPropertyName("round")] int Round);

/// <summary>The steps of a campaign's orchestration, as its custom status names them.</summary>
public static class CampaignSteps
{
    public const string Starting = "starting";
    /// <summary>Evaluations are running and the workflow waits for the publication request.</summary>
    public const string Running = "running";
    public const string Publicity = "publicity";
    public const string ResolvingObjections = "resolving-objections";
    public const string Published = "published";
}

/// <summary>A campaign's orchestration's custom status: its step and the figures of that step.</summary>
public sealed record CampaignWorkflowStatus([property: JsonPropertyName("step")] string Step)
{
    [JsonPropertyName("groups"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Groups { get; init; }

    [JsonPropertyName("started"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Started { get; init; }

    [JsonPropertyName("branches"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Branches { get; init; }

    [JsonPropertyName("ranked"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Ranked { get; init; }

    [JsonPropertyName("noticeEnds"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? NoticeEnds { get; init; }

    [JsonPropertyName("open"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Open { get; init; }

    [JsonPropertyName("published"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Published { get; init; }

    /// <summary>The status as an orchestration's metadata holds it; null when there is none or it is not one of these.</summary>
    public static CampaignWorkflowStatus? Parse(string? serialized)
    {
        if (string.IsNullOrEmpty(serialized)) return null;
        try
        {
            return JsonSerializer.Deserialize<CampaignWorkflowStatus>(serialized);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
