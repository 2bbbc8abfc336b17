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

    public static JsonSchema SelfAssessment(CampaignDefinition campaign, string? category)
    {
        Rubric rubric = campaign.RubricFor(category);
        JsonSchema schema = Document(campaign, category, "self-assessment", "Self-assessment",
            $"A branch's self-assessment (自评) in campaign {campaign.Id}{OfCategory(campaign, category)}: " +
            "its points for every criterion of the rubric, a summary and evidence.");
        Add(schema, "scores", Scores(rubric), required: true);
        Add(schema, "summary", new JsonSchemaProperty
        {
            Description = "What the branch did in the year, in its own words.",
            Type = JsonObjectType.String,
            MinLength = 1,
            MaxLength = 5000,
            ExtensionData = MultiLine(),
        }, required: true);
        Add(schema, "evidence", Evidence(rubric), required: false);
        return schema;
    }

    public static JsonSchema CountyScore(CampaignDefinition campaign, string? category)
    {
        Rubric rubric = campaign.RubricFor(category);
        JsonSchema schema = Document(campaign, category, "county-score", "County score",
            $"One county scorer's points for a branch in campaign {campaign.Id}{OfCategory(campaign, category)}, the veto item " +
            "that applies, if any, and the deductions, bonuses and flags the scorer gives.");
        Add(schema, "scores", Scores(rubric), required: true);
        Add(schema, "veto", Veto(rubric), required: false);
        Add(schema, "deductions", Deductions(rubric), required: false);
        Add(schema, "bonuses", Bonuses(rubric), required: false);
        Add(schema, "flags", Flags(rubric), required: false);
        Add(schema, "comment", new JsonSchemaProperty
        {
            Description = "The scorer's comment.",
            Type = JsonObjectType.String,
            MaxLength = 2000,
            ExtensionData = MultiLine(),
        }, required: false);
        return schema;
    }

    // A category with a rubric of its own names it; the others are scored by the campaign's rubric.
    static string OfCategory(CampaignDefinition campaign, string? category) =>
        category is not null && campaign.Rubrics?.ContainsKey(category) == true ? $" for a branch of category {category}" : "";

    static JsonSchema Document(CampaignDefinition campaign, string? category, string name, string title, string description) => new()
    {
        SchemaVersion = DraftSeven,
        Title = title,
        Description = description,
        Type = JsonObjectType.Object,
        AllowAdditionalProperties = false,
        // NJsonSchema writes its Id as draft-04's "id"; draft-07 names it "$id".
        ExtensionData = new Dictionary<string, object?>
        {
            ["$id"] = $"https://eval.example/schemas/campaigns/{Uri.EscapeDataString(campaign.Id)}/{name}.json" +
                (OfCategory(campaign, category) == "" ? "" : $"?category={category}"),
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
                Description = $"{criterion.Title}{(rubric.IsUnity(criterion) ? " (unity criterion)" : "")}: " +
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

    /// <summary>Deductions (减分项) of the rubric's items, each once, with occurrences and a reason; none when it has none.</summary>
    static JsonSchemaProperty Deductions(Rubric rubric)
    {
        IReadOnlyList<DeductionItem> items = rubric.Deductions ?? [];
        var entry = Entry("AppliedDeduction", "item", "A deduction item's id.", items.Select(d => (d.Id, d.Title)));
        Add(entry, "occurrences", new JsonSchemaProperty
        {
            Description = "How many times it occurred; the points off are occurrences × pointsEach, up to the item's cap.",
            Type = JsonObjectType.Integer,
            Minimum = 1,
            Maximum = 1000,
        }, required: true);
        Add(entry, "reason", Reason("What was found, e.g. 3人次缺席组织生活."), required: true);
        return List(entry, items.Count, "deductions (减分项)", items.Select(d => $"{d.Id} ({d.Title}: {Number(d.PointsEach)} each, " +
            $"at most {Number(d.Cap)})"));
    }

    /// <summary>Bonuses (加分项) of the rubric's items, each once, with points (up to the item's maximum) and a reason.</summary>
    static JsonSchemaProperty Bonuses(Rubric rubric)
    {
        IReadOnlyList<BonusItem> items = rubric.Bonuses ?? [];
        var entry = Entry("AwardedBonus", "item", "A bonus item's id.", items.Select(b => (b.Id, b.Title)));
        Add(entry, "points", new JsonSchemaProperty
        {
            Description = $"The points awarded, in steps of {Number(PointStep)}, up to the item's maxPoints.",
            Type = JsonObjectType.Number,
            Minimum = PointStep,
            Maximum = items.Count == 0 ? PointStep : items.Max(b => b.MaxPoints),
            MultipleOf = PointStep,
        }, required: true);
        Add(entry, "reason", Reason("What earned it, e.g. 获评市级民族团结进步示范单位."), required: true);
        return List(entry, items.Count, "bonuses (加分项)", items.Select(b => $"{b.Id} ({b.Title}: at most {Number(b.MaxPoints)})"));
    }

    /// <summary>The rubric's flags a scorer sets (e.g. innovation), each once.</summary>
    static JsonSchemaProperty Flags(Rubric rubric)
    {
        IReadOnlyList<ScorerFlag> flags = rubric.Flags ?? [];
        var flag = new JsonSchema { Type = JsonObjectType.String };
        foreach (ScorerFlag f in flags) flag.Enumeration.Add(f.Id);
        return new JsonSchemaProperty
        {
            Description = flags.Count == 0 ? "The rubric has no flags: an empty list or absent."
                : "Flags the scorer sets: " + string.Join("; ", flags.Select(f => $"{f.Id} ({f.Title})")) + ".",
            Type = JsonObjectType.Array,
            MaxItems = flags.Count,
            UniqueItems = true,
            Item = flag,
        };
    }

    static JsonSchema Entry(string title, string idName, string idDescription, IEnumerable<(string Id, string Title)> items)
    {
        var entry = new JsonSchema { Title = title, Type = JsonObjectType.Object, AllowAdditionalProperties = false };
        var id = new JsonSchemaProperty { Description = idDescription, Type = JsonObjectType.String };
        foreach (var (itemId, _) in items) id.Enumeration.Add(itemId);
        Add(entry, idName, id, required: true);
        return entry;
    }

    static JsonSchemaProperty Reason(string description) => new()
    {
        Description = description,
        Type = JsonObjectType.String,
        MinLength = 1,
        MaxLength = 500,
        Pattern = @"\S",
    };

    static JsonSchemaProperty List(JsonSchema entry, int items, string what, IEnumerable<string> described) => new()
    {
        Description = items == 0 ? $"The rubric has no {what}: an empty list or absent."
            : $"{char.ToUpperInvariant(what[0])}{what[1..]}, each item once: {string.Join("; ", described)}.",
        Type = JsonObjectType.Array,
        MaxItems = items,
        Item = entry,
    };

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
