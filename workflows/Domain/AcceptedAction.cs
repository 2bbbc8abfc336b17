using System.Text.Json;
using System.Text.Json.Serialization;

namespace Eval.Workflows.Domain;

/// <summary>
/// A human step the API accepted, kept in the evaluation's record (its outbox) with the event that carries it to the
/// workflow, in the same conditional write as the step's claim. docs/workflows.md, "The outbox", tells how it is
/// raised again and when an entry is settled.
/// </summary>
/// <param name="Claim">The claim entry written with it (see <see cref="EvaluationRecord.Claims"/>).</param>
/// <param name="Step">The accepted step's event, as the workflow awaits it.</param>
[JsonConverter(typeof(AcceptedActionJsonConverter))]
public sealed record AcceptedAction(string Claim, StepEvent Step)
{
    public static AcceptedAction Of(string claim, StepEvent e) => new(claim, e);

    /// <summary>
    /// The HMAC that binds the entry to its claim (Outbox.OutboxBinding), written with it by the API; an entry whose MAC does
    /// not hold (written outside the API, or before entries were bound) is never raised again.
    /// </summary>
    public string? Mac { get; init; }

    /// <summary>The declaration of the step this action takes.</summary>
    [JsonIgnore]
    public HumanStep HumanStep => Domain.HumanStep.Of(Step);

    /// <summary>The event's name, one of <see cref="EvaluationEvents"/>.</summary>
    [JsonIgnore]
    public string Event => HumanStep.Event;

    [JsonIgnore]
    public int Round => Step.Round;

    /// <summary>When the API accepted it; the event carries this time.</summary>
    [JsonIgnore]
    public DateTimeOffset At => Step.At;

    /// <summary>The typed event, as the workflow awaits it.</summary>
    public StepEvent ToEvent() => Step;

    /// <summary>Whether <paramref name="record"/> has taken this action in, or is past the point where it could.</summary>
    public bool IsSettledIn(EvaluationRecord record) => HumanStep.IsSettledIn(record, Step);
}

/// <summary>
/// Stores an accepted action as <c>{"claim": …, "&lt;step's outbox name&gt;": event, "mac": …}</c>, the shape records and
/// histories already hold, so that a step's event is named by its step rather than by a type discriminator.
/// </summary>
public sealed class AcceptedActionJsonConverter : JsonConverter<AcceptedAction>
{
    const string ClaimName = "claim";
    const string MacName = "mac";

    public override AcceptedAction Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using JsonDocument doc = JsonDocument.ParseValue(ref reader);
        JsonElement root = doc.RootElement;
        string claim = Property(root, ClaimName)?.GetString() ?? throw new JsonException("An accepted action has no claim.");
        string? mac = Property(root, MacName) is { ValueKind: JsonValueKind.String } m ? m.GetString() : null;
        foreach (HumanStep step in HumanStep.All)
            if (Property(root, step.OutboxName) is { ValueKind: JsonValueKind.Object } e)
                return new AcceptedAction(claim, (StepEvent)(e.Deserialize(step.EventType, options)
                    ?? throw new JsonException($"The accepted action '{claim}' holds an empty {step.Event}.")))
                {
                    Mac = mac,
                };
        throw new JsonException($"The accepted action '{claim}' holds no event.");
    }

    public override void Write(Utf8JsonWriter writer, AcceptedAction value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString(Name(ClaimName, options), value.Claim);
        writer.WritePropertyName(Name(value.HumanStep.OutboxName, options));
        JsonSerializer.Serialize(writer, value.Step, value.Step.GetType(), options);
        if (value.Mac is not null) writer.WriteString(Name(MacName, options), value.Mac);
        writer.WriteEndObject();
    }

    static string Name(string name, JsonSerializerOptions options) => options.PropertyNamingPolicy?.ConvertName(name) ?? name;

    // Any case: durable histories hold what the Durable Task converter wrote (its own naming), records the camelCase.
    static JsonElement? Property(JsonElement root, string name)
    {
        foreach (JsonProperty p in root.EnumerateObject())
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) return p.Value;
        return null;
    }
}
