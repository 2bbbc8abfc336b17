using System.Text.Json.Nodes;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;

namespace Eval.UnitTests.Schemas;

/// <summary>The example campaign of the API description, and valid bodies for it, to be broken one way at a time.</summary>
static class SampleBodies
{
    public const string Campaign = """
        {"id":"hongshan-2026","title":"红山区2026年度最强党支部评定","unit":"chifeng.hongshan",
         "rubric":{"criteria":[{"id":"political","title":"政治引领","maxPoints":25},{"id":"organization","title":"组织引领","maxPoints":25},{"id":"service","title":"服务引领","maxPoints":25},{"id":"unity","title":"民族团结进步","maxPoints":25,"unity":true}],
                   "unityWeight":1.5,"unityMinShare":0.8,"vetoItems":[{"id":"ethnic-incident","title":"发生影响民族团结的重大事件"}]},
         "levels":[{"id":"strongest","title":"最强党支部","minScore":90,"quota":0.3},{"id":"advanced","title":"先进党支部","minScore":80},{"id":"qualified","title":"合格党支部","minScore":60}],
         "schedule":{"selfAssessment":"P14D","townshipReview":"P7D","countyScoring":"P10D","publicity":"P5D"},
         "scorersPerBranch":1,"maxReturns":2}
        """;

    public const string SelfAssessment = """
        {"scores":{"political":23,"organization":22.5,"service":20,"unity":25},
         "summary":"全年开展主题党日12次，民族团结进步创建成效明显。",
         "evidence":[{"criterion":"unity","title":"民族团结进步创建台账","url":"https://docs.example/hongshan/b001/unity.pdf"}]}
        """;

    public const string CountyScore = """
        {"scores":{"political":20,"organization":21,"service":19.5,"unity":24},"veto":null,"comment":"材料齐全"}
        """;

    public static CampaignDefinition CampaignDefinition => Json.Read<CampaignDefinition>(Campaign)!;

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
