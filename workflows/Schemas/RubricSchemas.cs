using System.Globalization;
using Eval.Workflows.Domain;
using NJsonSchema;

namespace Eval.Workflows.Schemas;

/// <summary>
/// The schemas that depend on a campaign's rubric: the self-assessment and the county score name every criterion
/// with its own maximum, and the veto items by id. Built with NJsonSchema's object model as draft-07 documents.
/// </summary>
static class RubricSchemas
{
    const string DraftSeven = "http://json-schema.org/draft-07/schema#";

    /// <summary>On the evidence array: the least number of uploaded files per criterion that requires them.</summary>
    public const string RequiredFilesKeyword = "x-required-files";

    // Points are given in half points: fine enough to differentiate, coarse enough to agree on.
    const decimal PointStep = 0.5m;

    public static JsonSchema SelfAssessment(CampaignDefinition campaign)
    {
        JsonSchema schema = Document(campaign, "self-assessment", "Self-assessment",
            $"A branch's self-assessment (自评) in campaign {campaign.Id}: " +
            "its points for every criterion of the rubric, a summary and evidence.");
        Add(schema, "scores", Scores(campaign.Rubric), required: true);
        Add(schema, "summary", new JsonSchemaProperty
        {
            Description = "What the branch did in the year, in its own words.",
            Type = JsonObjectType.String,
            MinLength = 1,
            MaxLength = 5000,
            ExtensionData = MultiLine(),
        }, required: true);
        Add(schema, "evidence", Evidence(campaign.Rubric), required: false);
        return schema;
    }

    public static JsonSchema CountyScore(CampaignDefinition campaign)
    {
        JsonSchema schema = Document(campaign, "county-score", "County score",
            $"One county scorer's points for a branch in campaign {campaign.Id}, and the veto item that applies, if any.");
        Add(schema, "scores", Scores(campaign.Rubric), required: true);
        Add(schema, "veto", Veto(campaign.Rubric), required: false);
        Add(schema, "comment", new JsonSchemaProperty
        {
            Description = "The scorer's comment.",
            Type = JsonObjectType.String,
            MaxLength = 2000,
            ExtensionData = MultiLine(),
        }, required: false);
        return schema;
    }

    static JsonSchema Document(CampaignDefinition campaign, string name, string title, string description) => new()
    {
        SchemaVersion = DraftSeven,
        Title = title,
        Description = description,
        Type = JsonObjectType.Object,
        AllowAdditionalProperties = false,
        // NJsonSchema writes its Id as draft-04's "id"; draft-07 names it "$id".
        ExtensionData = new Dictionary<string, object?>
        {
            ["$id"] = $"https://eval.example/schemas/campaigns/{Uri.EscapeDataString(campaign.Id)}/{name}.json",
        },
    };

    /// <summary>Every criterion, no other key, each from 0 to its maximum in half points.</summary>
    static JsonSchemaProperty Scores(Rubric rubric)
    {
        var scores = new JsonSchemaProperty
        {
            Description = "Points per criterion id: every criterion of the rubric and no other.",
            Type = JsonObjectType.Object,
            AllowAdditionalProperties = false,
        };
        foreach (Criterion criterion in rubric.Criteria)
        {
            Add(scores, criterion.Id, new JsonSchemaProperty
            {
                Title = criterion.Title,
                Description = $"{criterion.Title}{(criterion.Unity ? " (unity criterion)" : "")}: " +
                    $"0 to {Number(criterion.MaxPoints)} points in steps of {Number(PointStep)}.",
                Type = JsonObjectType.Number,
                Minimum = 0,
                Maximum = criterion.MaxPoints,
                MultipleOf = PointStep,
            }, required: true);
        }
        return scores;
    }

    /// <summary>
    /// Links (a title and an address) and uploaded files (an evidence id); the criteria that require files say how many.
    /// Which files may be cited (the branch's own, verified, in time) is checked after the schema (EvidenceCitations).
    /// </summary>
    static JsonSchemaProperty Evidence(Rubric rubric)
    {
        var item = new JsonSchema
        {
            Title = "Evidence",
            Description = "A document that backs the points for one criterion: a link (title and url) or an uploaded file (evidenceId).",
            Type = JsonObjectType.Object,
            AllowAdditionalProperties = false,
        };
        var criterion = new JsonSchemaProperty { Description = "The id of the criterion it backs.", Type = JsonObjectType.String };
        foreach (Criterion c in rubric.Criteria) criterion.Enumeration.Add(c.Id);
        Add(item, "criterion", criterion, required: true);
        Add(item, "title", new JsonSchemaProperty
        {
            Description = "What the linked document is (a file's title is the one given at upload).",
            Type = JsonObjectType.String,
            MinLength = 1,
            MaxLength = 200,
        }, required: false);
        Add(item, "url", new JsonSchemaProperty
        {
            Description = "Where to read a linked document: an http or https address.",
            Type = JsonObjectType.String,
            MaxLength = 2000,
            Pattern = @"^https?://[^\s]+$",
        }, required: false);
        Add(item, "evidenceId", new JsonSchemaProperty
        {
            Description = "An uploaded, verified file of this branch and round (POST …/evidence, then …/complete).",
            Type = JsonObjectType.String,
            Pattern = EvidenceIds.Pattern,
        }, required: false);
        var link = new JsonSchema { Title = "Link" };
        link.RequiredProperties.Add("title");
        link.RequiredProperties.Add("url");
        var file = new JsonSchema { Title = "File" };
        file.RequiredProperties.Add("evidenceId");
        item.OneOf.Add(link);
        item.OneOf.Add(file);

        string[] required = [.. rubric.Criteria.Where(c => c.Evidence is { Required: true })
            .Select(c => $"{c.Id} ({c.Title}) at least {c.Evidence!.MinFiles}")];
        return new JsonSchemaProperty
        {
            Description = "Up to 50 documents backing the points." +
                (required.Length == 0 ? "" : $" Criteria that require uploaded files: {string.Join("; ", required)}."),
            Type = JsonObjectType.Array,
            MaxItems = 50,
            Item = item,
            ExtensionData = required.Length == 0 ? null : new Dictionary<string, object?>
            {
                [RequiredFilesKeyword] = rubric.Criteria.Where(c => c.Evidence is { Required: true })
                    .ToDictionary(c => c.Id, c => (object?)c.Evidence!.MinFiles),
            },
        };
    }

    /// <summary>Null, or one of the rubric's veto item ids; only null when the rubric has none.</summary>
    static JsonSchemaProperty Veto(Rubric rubric)
    {
        IReadOnlyList<VetoItem> vetoItems = rubric.VetoItems ?? [];
        if (vetoItems.Count == 0)
            return new JsonSchemaProperty { Description = "The rubric has no veto items: null or absent.", Type = JsonObjectType.Null };

        var veto = new JsonSchemaProperty
        {
            Description = "The veto item (一票否决) that applies, or null: " +
                string.Join("; ", vetoItems.Select(v => $"{v.Id} ({v.Title})")) + ".",
            Type = JsonObjectType.String,
        };
        foreach (VetoItem item in vetoItems) veto.Enumeration.Add(item.Id);
        veto.Enumeration.Add(null);
        return veto;
    }

    // A string the text rule lets hold line breaks and tabs (CleanText); every other string is one line.
    static Dictionary<string, object?> MultiLine() => new() { [CleanText.MultiLineKeyword] = true };

    // Required is kept by the parent schema, so it can only be set once the property has one.
    static void Add(JsonSchema parent, string name, JsonSchemaProperty property, bool required)
    {
        parent.Properties[name] = property;
        property.IsRequired = required;
    }

    static string Number(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);
}
