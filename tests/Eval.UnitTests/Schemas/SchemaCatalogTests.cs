using System.Text.Json.Nodes;
using Eval.Workflows.Schemas;
using NJsonSchema;

namespace Eval.UnitTests.Schemas;

public class SchemaCatalogTests
{
    [Fact]
    public void The_static_names_are_the_eighteen_request_bodies()
    {
        Assert.Equal(
            ["units", "campaign", "township-review", "evidence-slot", "joint-veto", "appraisal-roster", "appraisal-ballot", "rehearsal",
             "publication", "objection", "objection-resolution", "objection-resolutions", "honour-change-evidence", "honour-change",
             "honour-change-decision", "honour-change-objection", "urge", "deadline-extension", "subscription"],
            SchemaCatalog.StaticNames);
    }

    [Fact]
    public async Task Every_static_schema_loads_as_a_titled_draft_07_document_with_its_id()
    {
        foreach (string name in SchemaCatalog.StaticNames)
        {
            JsonSchema schema = await SchemaCatalog.GetAsync(name);
            JsonObject document = JsonNode.Parse(schema.ToJson())!.AsObject();

            Assert.Equal("http://json-schema.org/draft-07/schema#", (string?)document["$schema"]);
            Assert.Equal($"https://eval.example/schemas/{name}.json", (string?)document["$id"]);
            Assert.False(string.IsNullOrWhiteSpace((string?)document["title"]), name);
            Assert.False(string.IsNullOrWhiteSpace((string?)document["description"]), name);
            Assert.False((bool)document["additionalProperties"]!, name);
        }
    }

    [Fact]
    public async Task Static_schemas_are_loaded_once()
    {
        Assert.Same(await SchemaCatalog.GetAsync(SchemaCatalog.Campaign), await SchemaCatalog.GetAsync(SchemaCatalog.Campaign));
        Assert.Same(await SchemaCatalog.GetAsync(SchemaCatalog.Units), await SchemaCatalog.FindAsync(SchemaCatalog.Units));
    }

    [Fact]
    public async Task An_unknown_name_is_not_found()
    {
        Assert.Null(await SchemaCatalog.FindAsync("self-assessment"));
        Assert.Null(await SchemaCatalog.FindAsync("Campaign"));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => SchemaCatalog.GetAsync("nope"));
    }
}
