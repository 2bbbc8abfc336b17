using System.Reflection;
using Eval.Workflows.Domain;
using NJsonSchema;

namespace Eval.Workflows.Schemas;

/// <summary>
/// The JSON schemas of the request bodies. The static ones are embedded resources (Schemas/Json/&lt;name&gt;.schema.json),
/// loaded once and shared: treat them as read-only. The self-assessment and county score schemas depend on the
/// campaign's rubric and are built for it.
/// </summary>
public static class SchemaCatalog
{
    public const string Units = "units";
    public const string Campaign = "campaign";
    public const string TownshipReview = "township-review";
    public const string Publication = "publication";
    public const string Objection = "objection";
    public const string ObjectionResolution = "objection-resolution";
    public const string ObjectionResolutions = "objection-resolutions";
    public const string EvidenceSlot = "evidence-slot";
    public const string JointVeto = "joint-veto";
    public const string Rehearsal = "rehearsal";
    public const string AppraisalRoster = "appraisal-roster";
    public const string AppraisalBallot = "appraisal-ballot";
    public const string HonourChange = "honour-change";
    public const string HonourChangeDecision = "honour-change-decision";
    public const string HonourChangeObjection = "honour-change-objection";
    public const string HonourChangeEvidence = "honour-change-evidence";
    public const string Urge = "urge";
    public const string DeadlineExtension = "deadline-extension";
    public const string Subscription = "subscription";

    // Before StaticNames: static fields are initialized in the order they are written.
    static readonly string[] Listed =
    [
        Units, Campaign, TownshipReview, EvidenceSlot, JointVeto, AppraisalRoster, AppraisalBallot, Rehearsal, Publication, Objection,
        ObjectionResolution, ObjectionResolutions, HonourChangeEvidence, HonourChange, HonourChangeDecision, HonourChangeObjection,
        Urge, DeadlineExtension, Subscription,
    ];

    /// <summary>
    /// The named schemas in the order the API lists them, then any other embedded Json/*.schema.json (a new step's body
    /// schema is served as soon as its file is there).
    /// </summary>
    public static IReadOnlyList<string> StaticNames { get; } = [.. Listed, .. EmbeddedNames().Except(Listed).Order(StringComparer.Ordinal)];

    static IEnumerable<string> EmbeddedNames() => typeof(SchemaCatalog).Assembly.GetManifestResourceNames()
        .Where(n => n.EndsWith(SchemaSuffix, StringComparison.Ordinal))
        .Select(n => n[..^SchemaSuffix.Length]).Select(n => n[(n.LastIndexOf('.') + 1)..]);

    const string SchemaSuffix = ".schema.json";

    static readonly Dictionary<string, Lazy<Task<JsonSchema>>> StaticSchemas = StaticNames.ToDictionary(
        name => name, name => new Lazy<Task<JsonSchema>>(() => LoadAsync(name)), StringComparer.Ordinal);

    /// <summary>The static schema of that name.</summary>
    /// <exception cref="KeyNotFoundException">There is no static schema of that name.</exception>
    public static Task<JsonSchema> GetAsync(string name) =>
        name is not null && StaticSchemas.TryGetValue(name, out Lazy<Task<JsonSchema>>? schema)
            ? schema.Value
            : throw new KeyNotFoundException(
                $"There is no schema named '{name}'; the static schemas are {string.Join(", ", StaticNames)}.");

    /// <summary>The static schema of that name, or null when there is none.</summary>
    public static async Task<JsonSchema?> FindAsync(string name) =>
        name is not null && StaticSchemas.TryGetValue(name, out Lazy<Task<JsonSchema>>? schema) ? await schema.Value : null;

    /// <summary>The schema of the self-assessment of a branch of <paramref name="category"/> (its rubric's) in this campaign.</summary>
    public static JsonSchema SelfAssessment(CampaignDefinition campaign, string? category = null)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return ByCampaign.GetOrAdd(("self-assessment", RubricKey(campaign, category), Storage.Json.Write(campaign)),
            _ => RubricSchemas.SelfAssessment(campaign, category));
    }

    /// <summary>The schema of a county scorer's score for a branch of <paramref name="category"/> in this campaign.</summary>
    public static JsonSchema CountyScore(CampaignDefinition campaign, string? category = null)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return ByCampaign.GetOrAdd(("county-score", RubricKey(campaign, category), Storage.Json.Write(campaign)),
            _ => RubricSchemas.CountyScore(campaign, category));
    }

    // Categories scored by the campaign's own rubric share its schemas.
    static string RubricKey(CampaignDefinition campaign, string? category) =>
        category is not null && campaign.Rubrics?.ContainsKey(category) == true ? category : "";

    // A campaign's definition never changes once created, so its generated schemas are built once per process, not
    // on every submission. Keyed by the definition itself: two campaigns with one id in different stores stay apart.
    static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Kind, string Rubric, string Definition), JsonSchema>
        ByCampaign = new();

    static async Task<JsonSchema> LoadAsync(string name)
    {
        Assembly assembly = typeof(SchemaCatalog).Assembly;
        // The manifest name is derived from the folder and the root namespace; only the file name is ours to rely on.
        string suffix = $".{name}.schema.json";
        string resource = assembly.GetManifestResourceNames().SingleOrDefault(n => n.EndsWith(suffix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The schema '{name}' is not embedded in {assembly.GetName().Name}.");
        await using Stream stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return await JsonSchema.FromJsonAsync(await reader.ReadToEndAsync());
    }
}
