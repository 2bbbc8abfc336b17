using System.Text.Json.Nodes;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using NJsonSchema;

namespace Eval.UnitTests.Schemas;

public class RequestSchemaTests
{
    static async Task<IReadOnlyList<FieldError>> CheckAsync(string schemaName, string json) =>
        JsonValidator.Validate(await SchemaCatalog.GetAsync(schemaName), json);

    [Theory]
    [InlineData("""{"decision":"approve"}""")]
    [InlineData("""{"decision":"approve","comment":""}""")]
    [InlineData("""{"decision":"return","comment":"请补充民族团结进步创建台账"}""")]
    [InlineData("""{"decision":"reject","comment":"材料不实"}""")]
    public async Task A_township_review_passes(string json)
    {
        Assert.Empty(await CheckAsync(SchemaCatalog.TownshipReview, json));
    }

    [Theory]
    [InlineData("""{"decision":"return"}""", "required")]
    [InlineData("""{"decision":"reject"}""", "required")]
    [InlineData("""{"decision":"return","comment":""}""", @"must match the pattern \S")]
    [InlineData("""{"decision":"reject","comment":"  \n\t "}""", @"must match the pattern \S")]
    public async Task A_return_or_reject_without_a_comment_is_reported_at_the_comment(string json, string detail)
    {
        Assert.Equal([new FieldError("/comment", detail)], await CheckAsync(SchemaCatalog.TownshipReview, json));
    }

    [Fact]
    public async Task A_township_review_with_an_unknown_decision_is_refused()
    {
        Assert.Equal(
            [new FieldError("/decision", "must be one of: approve, return, reject")],
            await CheckAsync(SchemaCatalog.TownshipReview, """{"decision":"maybe","comment":"?"}"""));
    }

    [Fact]
    public async Task The_township_review_schema_keeps_its_condition_for_clients()
    {
        JsonObject document = JsonNode.Parse((await SchemaCatalog.GetAsync(SchemaCatalog.TownshipReview)).ToJson())!.AsObject();

        Assert.Equal("https://eval.example/schemas/township-review.json", (string?)document["$id"]);
        Assert.Equal(["return", "reject"], document["if"]!["properties"]!["decision"]!["enum"].Arr().Select(n => (string)n!));
        Assert.Equal(["comment"], document["then"]!["required"].Arr().Select(n => (string)n!));
    }

    [Theory]
    [InlineData(ReviewDecisions.Return, null)]
    [InlineData(ReviewDecisions.Reject, "   ")]
    public void The_comment_rule_refuses_a_return_or_reject_without_a_comment(string decision, string? comment)
    {
        FieldError error = Assert.Single(ReviewCommentRules.Validate(new TownshipReview(decision, comment)));

        Assert.Equal("/comment", error.Pointer);
    }

    [Theory]
    [InlineData(ReviewDecisions.Approve, null)]
    [InlineData(ReviewDecisions.Return, "请补充材料")]
    public void The_comment_rule_accepts_an_approval_or_a_commented_return(string decision, string? comment)
    {
        Assert.Empty(ReviewCommentRules.Validate(new TownshipReview(decision, comment)));
    }

    [Theory]
    [InlineData("""{"veto":null}""")]
    [InlineData("""{"veto":"ethnic-incident"}""")]
    [InlineData("""{}""")]
    public void A_county_score_passes_with_or_without_a_veto(string change)
    {
        JsonSchema schema = SchemaCatalog.CountyScore(SampleBodies.CampaignDefinition);
        string json = SampleBodies.Edit(SampleBodies.CountyScore, body =>
        {
            body.Remove("veto");
            foreach ((string key, JsonNode? value) in JsonNode.Parse(change).Obj()) body[key] = value?.DeepClone();
        });

        Assert.Empty(JsonValidator.Validate(schema, json));
    }

    [Fact]
    public void A_county_score_with_an_unknown_veto_id_is_refused()
    {
        JsonSchema schema = SchemaCatalog.CountyScore(SampleBodies.CampaignDefinition);
        string json = SampleBodies.Edit(SampleBodies.CountyScore, body => body["veto"] = "corruption");

        FieldError error = Assert.Single(JsonValidator.Validate(schema, json));
        Assert.Equal("/veto", error.Pointer);
        Assert.Contains("ethnic-incident", error.Detail);
    }

    [Fact]
    public void A_county_score_in_a_campaign_without_veto_items_takes_only_a_null_veto()
    {
        CampaignDefinition campaign = SampleBodies.CampaignDefinition;
        JsonSchema schema = SchemaCatalog.CountyScore(campaign with { Rubric = campaign.Rubric with { VetoItems = [] } });

        Assert.Empty(JsonValidator.Validate(schema, SampleBodies.CountyScore));
        Assert.Equal([new FieldError("/veto", "must be null")],
            JsonValidator.Validate(schema, SampleBodies.Edit(SampleBodies.CountyScore, body => body["veto"] = "ethnic-incident")));
    }

    [Fact]
    public void A_county_score_checks_points_as_the_self_assessment_does()
    {
        JsonSchema schema = SchemaCatalog.CountyScore(SampleBodies.CampaignDefinition);
        string json = SampleBodies.Edit(SampleBodies.CountyScore, body =>
        {
            body["scores"]!["unity"] = 30;
            body["scores"].Obj().Remove("service");
            body["comment"] = new string('x', 2001);
        });

        Assert.Equal(
            [
                new FieldError("/comment", "must be at most 2000 characters"),
                new FieldError("/scores/service", "required"),
                new FieldError("/scores/unity", "must be ≤ 25"),
            ],
            JsonValidator.Validate(schema, json));
    }

    [Fact]
    public async Task Units_pass_and_a_bad_unit_is_reported_at_it()
    {
        const string valid = """
            {"units":[{"id":"chifeng","name":"赤峰市","kind":"city"},{"id":"chifeng.hongshan","name":"红山区","kind":"county"}]}
            """;
        Assert.Empty(await CheckAsync(SchemaCatalog.Units, valid));

        const string invalid = """
            {"units":[{"id":"chifeng","name":"赤峰市","kind":"city"},{"id":"Chifeng.Hongshan","name":"","kind":"district"}]}
            """;
        Assert.Equal(
            ["/units/1/id", "/units/1/kind", "/units/1/name"],
            (await CheckAsync(SchemaCatalog.Units, invalid)).Select(e => e.Pointer));
    }

    [Fact]
    public async Task No_units_at_all_are_refused()
    {
        Assert.Equal([new FieldError("/units", "must not be empty")], await CheckAsync(SchemaCatalog.Units, """{"units":[]}"""));
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"force":true}""")]
    public async Task A_publication_passes(string json)
    {
        Assert.Empty(await CheckAsync(SchemaCatalog.Publication, json));
    }

    [Fact]
    public async Task A_publication_force_must_be_a_boolean()
    {
        Assert.Equal([new FieldError("/force", "must be true or false")],
            await CheckAsync(SchemaCatalog.Publication, """{"force":"yes"}"""));
    }

    [Fact]
    public async Task An_objection_needs_a_unit_id_and_a_text()
    {
        Assert.Empty(await CheckAsync(SchemaCatalog.Objection,
            """{"branchId":"chifeng.hongshan.t01.b001","text":"得分与事实不符"}"""));
        Assert.Equal(
            [
                new FieldError("/branchId", @"must match the pattern ^[a-z0-9-]{1,40}(\.[a-z0-9-]{1,40}){0,3}$"),
                new FieldError("/text", "required"),
            ],
            await CheckAsync(SchemaCatalog.Objection, """{"branchId":"b001/../x"}"""));
    }

    [Fact]
    public async Task An_objection_resolution_needs_a_comment()
    {
        Assert.Empty(await CheckAsync(SchemaCatalog.ObjectionResolution, """{"upheld":false,"comment":"经核查，评分无误"}"""));
        Assert.Equal(
            [new FieldError("/comment", "must not be empty")],
            await CheckAsync(SchemaCatalog.ObjectionResolution, """{"upheld":true,"comment":""}"""));
        Assert.Equal(
            [new FieldError("/comment", "required"), new FieldError("/upheld", "required")],
            await CheckAsync(SchemaCatalog.ObjectionResolution, """{}"""));
    }
}
