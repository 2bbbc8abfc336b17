using System.Text.Json.Nodes;
using Eval.LocalHost.Cli;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;

namespace Eval.UnitTests.Schemas;

/// <summary>The demo campaign, and valid bodies for it, to be broken one way at a time.</summary>
static class SampleBodies
{
    /// <summary>The demo's 红山区 campaign (<see cref="ChifengCampaign.Hongshan"/>) as the JSON body that creates it.</summary>
    public static readonly string Campaign = ChifengCampaign.Hongshan.RequestBody().ToJsonString(Json.Options);

    public const string SelfAssessment = """
        {"scores":{"political":23,"organization":22.5,"service":20,"unity":25},
         "summary":"全年开展主题党日12次，民族团结进步创建成效明显。",
         "evidence":[{"criterion":"unity","title":"民族团结进步创建台账","url":"https://docs.example/hongshan/b001/unity.pdf"}]}
        """;

    public const string CountyScore = """
        {"scores":{"political":20,"organization":21,"service":19.5,"unity":24},"veto":null,"comment":"材料齐全"}
        """;

    public static CampaignDefinition CampaignDefinition => ChifengCampaign.Hongshan;

    /// <summary>The sample, parsed, changed by <paramref name="change"/> and written back.</summary>
    public static string Edit(string json, Action<JsonObject> change)
    {
        JsonObject body = JsonNode.Parse(json)!.AsObject();
        change(body);
        return body.ToJsonString();
    }

    /// <summary>A campaign body checked as the API checks it: the schema, then, if the shape is right, the rules.</summary>
    public static async Task<IReadOnlyList<FieldError>> CheckCampaignAsync(string json)
    {
        IReadOnlyList<FieldError> shape = JsonValidator.Validate(await SchemaCatalog.GetAsync(SchemaCatalog.Campaign), json);
        return shape.Count > 0 ? shape : CampaignRules.Validate(Json.Read<CampaignDefinition>(json)!);
    }

    public static JsonObject Obj(this JsonNode? node) => node!.AsObject();

    public static JsonArray Arr(this JsonNode? node) => node!.AsArray();
}
