using System.Text.Json.Nodes;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;

namespace Eval.LocalHost.ApiDescription;

/// <summary>
/// The request bodies' JSON Schemas as the OpenAPI 3.1 document holds them: the very schemas the API validates with
/// (SchemaCatalog, served at GET /api/schemas/{name}), turned from draft-07 documents into schemas of the document's
/// dialect (JSON Schema 2020-12). For the two bodies whose schema is generated from a campaign's rubric, the shape
/// all campaigns share: the rubric-generated schema with the rubric's own ids and maximums taken out.
/// </summary>
public static class RequestSchemas
{
    /// <summary>Every schema the document carries under components/schemas, by name, as JSON.</summary>
    public static async Task<IReadOnlyDictionary<string, JsonObject>> AllAsync()
    {
        var all = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (string name in SchemaCatalog.StaticNames)
            all[name] = FromDraft7(name, (await SchemaCatalog.GetAsync(name)).ToJson());
        all[OpenApiSetup.SelfAssessmentBody] = GeneralSelfAssessment(SchemaCatalog.SelfAssessment(Example).ToJson());
        all[OpenApiSetup.CountyScoreBody] = GeneralCountyScore(SchemaCatalog.CountyScore(Example).ToJson());
        return all;
    }

    /// <summary>
    /// A draft-07 schema document as a 2020-12 schema in components/schemas/<paramref name="name"/>. $schema goes (the
    /// document's jsonSchemaDialect rules), and so does $id (it names the standalone document at /api/schemas/{name}; in
    /// the document the schema is found by its components path). The draft-07 keywords 2020-12 renamed are renamed;
    /// "dependencies" (split in two by 2020-12) is refused rather than guessed.
    /// </summary>
    public static JsonObject FromDraft7(string name, string draft7)
    {
        JsonObject schema = JsonNode.Parse(draft7)?.AsObject()
            ?? throw new InvalidOperationException($"Schema '{name}' is not a JSON object.");
        schema.Remove("$schema");
        schema.Remove("$id");
        Convert(schema, name);
        return schema;
    }

    static void Convert(JsonNode? node, string name)
    {
        switch (node)
        {
            case JsonObject o:
                if (o.ContainsKey("dependencies"))
                    throw new NotSupportedException(
                        $"Schema '{name}' uses draft-07 'dependencies'; write dependentRequired/dependentSchemas logic here first.");
                if (o["definitions"] is { } definitions)
                {
                    o.Remove("definitions");
                    o["$defs"] = definitions;
                }
                if (o["items"] is JsonArray tuple)
                {
                    o.Remove("items");
                    JsonNode? rest = o["additionalItems"];
                    o.Remove("additionalItems");
                    o["prefixItems"] = tuple;
                    if (rest is not null) o["items"] = rest;
                }
                if (o["$ref"] is JsonValue reference && reference.GetValue<string>().StartsWith("#/definitions/", StringComparison.Ordinal))
                    o["$ref"] = $"#/components/schemas/{name}/$defs/" + reference.GetValue<string>()["#/definitions/".Length..];
                foreach ((string _, JsonNode? child) in o.ToList()) Convert(child, name);
                break;
            case JsonArray a:
                foreach (JsonNode? child in a) Convert(child, name);
                break;
        }
    }

    // Any campaign gives the same general shape; this one has a veto item so that the veto is a string at all.
    static readonly CampaignDefinition Example = new("example", "Example", "example",
        new Rubric([new Criterion("criterion", "Criterion", 10, Unity: true)], 1, 0, [new VetoItem("veto-item", "Veto item")]),
        [new Level("level", "Level", 0)], new Schedule("P1D", "P1D", "P1D", "P1D"));

    /// <summary>A campaign's self-assessment schema (as served) without what its rubric put in: the shape all campaigns share.</summary>
    public static JsonObject GeneralSelfAssessment(string campaignSchema)
    {
        JsonObject schema = FromDraft7(OpenApiSetup.SelfAssessmentBody, campaignSchema);
        schema["description"] = "A branch's self-assessment (自评): " +
            "points for every criterion of the campaign's rubric, a summary and evidence. " +
            "The shape every campaign shares; the campaign's own schema, with its criterion ids and maximums, is " +
            "GET /api/campaigns/{cid}/schemas/self-assessment.";
        GeneralScores(schema);
        (schema["properties"]?["evidence"]?["items"]?["properties"]?["criterion"] as JsonObject)?.Remove("enum");
        return schema;
    }

    /// <summary>A campaign's county score schema without its rubric's criterion ids, maximums and veto item ids.</summary>
    public static JsonObject GeneralCountyScore(string campaignSchema)
    {
        JsonObject schema = FromDraft7(OpenApiSetup.CountyScoreBody, campaignSchema);
        schema["description"] = "One county scorer's points for a branch, and the veto item that applies, if any. " +
            "The shape every campaign shares: the criterion ids and maximums, and the veto item ids, are the campaign's rubric's.";
        GeneralScores(schema);
        schema["properties"]!["veto"] = new JsonObject
        {
            ["description"] = "The id of one of the rubric's veto items (一票否决) that applies, or null.",
            ["type"] = new JsonArray("string", "null"),
        };
        return schema;
    }

    /// <summary>scores: one named property per criterion becomes any criterion id with the criteria's common constraints.</summary>
    static void GeneralScores(JsonObject schema)
    {
        JsonObject scores = schema["properties"]!["scores"]!.AsObject();
        JsonObject criterion = scores["properties"]!.AsObject().First().Value!.DeepClone().AsObject();
        foreach (string specific in new[] { "title", "description", "maximum" }) criterion.Remove(specific);
        criterion["description"] = "A criterion's points: 0 to its maxPoints in the rubric, in half points.";
        scores.Remove("properties");
        scores.Remove("required");
        scores["additionalProperties"] = criterion;
    }
}
