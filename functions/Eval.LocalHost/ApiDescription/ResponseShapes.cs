using Microsoft.OpenApi;

namespace Eval.LocalHost.ApiDescription;

/// <summary>
/// One schema per shape. The responses' schemas are generated from C# types, and some of those types are a request
/// body's shape again (a unit, a campaign's rubric, evidence) or each other's (two 202 answers): such a component is
/// taken out and every reference to it points at the one schema of its shape instead.
/// </summary>
public static class ResponseShapes
{
    /// <summary>
    /// Components whose every value is valid against a part of a request body's schema (the API stores only what that
    /// schema accepted, and writes it back field for field): the response refers to that part.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> PartsOfRequestSchemas =
        new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Unit"] = "units/properties/units/items",
        ["Rubric"] = "campaign/properties/rubric",
        ["Criterion"] = "campaign/properties/rubric/properties/criteria/items",
        ["VetoItem"] = "campaign/properties/rubric/properties/vetoItems/items",
        ["Schedule"] = "campaign/properties/schedule",
        ["Evidence"] = $"{OpenApiSetup.SelfAssessmentBody}/properties/evidence/items",
    };

    /// <summary>Components of one shape under two names, and the one name they share.</summary>
    public static readonly IReadOnlyDictionary<string, string> Merged = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["CampaignStarted"] = AcceptedWithStatus,
        ["ObjectionAccepted"] = AcceptedWithStatus,
    };

    public const string AcceptedWithStatus = "AcceptedWithStatus";

    /// <summary>
    /// The components that stay apart from a request body's schema, and why: the API writes a field the body may leave
    /// out as null, which the body's schema refuses. Said in their descriptions.
    /// </summary>
    static readonly Dictionary<string, string> Recorded = new(StringComparer.Ordinal)
    {
        ["CampaignDefinition"] = "The campaign as defined (the body of POST /api/campaigns, components/schemas/campaign), as the API " +
            "writes it back: every field present, quota null where a level has none.",
        ["Level"] = "A rating level as the API writes it back: quota is null where the level has none.",
        ["SelfAssessment"] = "A self-assessment as submitted (components/schemas/self-assessment), as the API writes it back: " +
            "evidence is null when none was given.",
        ["TownshipReview"] = "A township review as submitted (components/schemas/township-review), as the API writes it back: " +
            "comment is null when none was given.",
        ["CountyScore"] = "A county score as submitted (components/schemas/county-score), as the API writes it back: veto and " +
            "comment are null when not given.",
    };

    public static void DescribeEachOnce(OpenApiDocument document)
    {
        IDictionary<string, IOpenApiSchema> schemas = document.Components!.Schemas!;
        foreach ((string merged, string name) in Merged)
        {
            if (!schemas.TryGetValue(merged, out IOpenApiSchema? schema)) continue;
            if (schemas.TryGetValue(name, out IOpenApiSchema? kept) && Json(kept) != Json(schema))
                throw new InvalidOperationException(
                    $"components/schemas/{merged} is no longer the shape of {name}: take it out of ResponseShapes.Merged.");
            schemas[name] = schema;
        }
        if (schemas.TryGetValue(AcceptedWithStatus, out IOpenApiSchema? accepted) && accepted is OpenApiSchema described)
            described.Description = "202 for a campaign start or a filed objection: the campaign's or the objection's id, and its " +
                "status now (running; open).";

        var replacements = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        foreach ((string name, string part) in PartsOfRequestSchemas)
            replacements[name] = new OpenApiSchemaReference(part, document);
        foreach ((string name, string target) in Merged)
            replacements[name] = new OpenApiSchemaReference(target, document);

        foreach (string name in schemas.Keys.ToList())
            schemas[name] = Redirect(schemas[name], replacements);
        foreach (OpenApiPathItem item in document.Paths.Values.OfType<OpenApiPathItem>())
        foreach (OpenApiOperation operation in item.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>())
        {
            foreach (OpenApiMediaType media in operation.RequestBody?.Content?.Values ?? [])
                if (media.Schema is { } schema) media.Schema = Redirect(schema, replacements);
            foreach (IOpenApiResponse response in operation.Responses?.Values ?? Enumerable.Empty<IOpenApiResponse>())
            foreach (OpenApiMediaType media in response.Content?.Values ?? [])
                if (media.Schema is { } schema) media.Schema = Redirect(schema, replacements);
        }
        foreach (string name in replacements.Keys) schemas.Remove(name);

        foreach ((string name, string description) in Recorded)
            if (schemas.TryGetValue(name, out IOpenApiSchema? schema) && schema is OpenApiSchema recorded)
                recorded.Description = description;
    }

    /// <summary>The schema with every reference to a replaced component, at any depth the generator nests them, replaced.</summary>
    static IOpenApiSchema Redirect(IOpenApiSchema schema, IReadOnlyDictionary<string, IOpenApiSchema> replacements)
    {
        if (schema is OpenApiSchemaReference reference)
            return reference.Reference.Id is { } id && replacements.TryGetValue(id, out IOpenApiSchema? replacement)
                ? replacement : schema;
        if (schema is not OpenApiSchema o) return schema;
        if (o.Properties is { } properties)
            foreach (string key in properties.Keys.ToList()) properties[key] = Redirect(properties[key], replacements);
        if (o.Items is { } items) o.Items = Redirect(items, replacements);
        if (o.AdditionalProperties is { } additional) o.AdditionalProperties = Redirect(additional, replacements);
        foreach (IList<IOpenApiSchema>? list in new[] { o.AllOf, o.OneOf, o.AnyOf })
            for (int i = 0; list is not null && i < list.Count; i++) list[i] = Redirect(list[i], replacements);
        return schema;
    }

    static string Json(IOpenApiSchema schema)
    {
        using var text = new StringWriter();
        schema.SerializeAsV31(new OpenApiJsonWriter(text));
        return text.ToString();
    }
}
