using Eval.Api.Http;
using Eval.Workflows.Schemas;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Eval.Api.Handlers;

/// <summary>GET /api/schemas/{name} — public: the JSON Schemas the API validates request bodies with.</summary>
public sealed class SchemaHandlers
{
    public async Task<Results<ContentHttpResult, ProblemHttpResult>> GetAsync(HttpRequest request, string name)
    {
        var schema = await SchemaCatalog.FindAsync(name);
        return schema is null
            ? Problems.NotFound($"No schema '{name}'. Known: {string.Join(", ", SchemaCatalog.StaticNames)}; " +
                $"a campaign's self-assessment schema is at /api/campaigns/{{id}}/schemas/self-assessment.")
            : TypedResults.Text(schema.ToJson(), "application/schema+json");
    }
}
