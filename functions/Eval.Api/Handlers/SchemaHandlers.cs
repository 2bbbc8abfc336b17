using Eval.Api.Http;
using Eval.Workflows.Schemas;
using Microsoft.AspNetCore.Http;

namespace Eval.Api.Handlers;

/// <summary>GET /api/schemas/{name} — public: the JSON Schemas the API validates request bodies with.</summary>
public sealed class SchemaHandlers
{
    public async Task<IResult> GetAsync(HttpRequest request, string name)
    {
        var schema = await SchemaCatalog.FindAsync(name);
        return schema is null
            ? Problems.NotFound($"No schema '{name}'. Known: {string.Join(", ", SchemaCatalog.StaticNames)}; " +
                $"a campaign's self-assessment schema is at /api/campaigns/{{id}}/schemas/self-assessment.")
            : Results.Text(schema.ToJson(), "application/schema+json");
    }
}
