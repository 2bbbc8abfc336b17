using System.Text.Json.Nodes;
using Eval.Workflows.Schemas;
using NJsonSchema;

namespace Eval.UnitTests.Schemas;

public class SelfAssessmentSchemaTests
{
    static readonly JsonSchema Schema = SchemaCatalog.SelfAssessment(SampleBodies.CampaignDefinition);

    static IReadOnlyList<FieldError> Check(Action<JsonObject> change) =>
        JsonValidator.Validate(Schema, SampleBodies.Edit(SampleBodies.SelfAssessment, change));

    [Fact]
    public void A_valid_self_assessment_passes()
    {
        Assert.Empty(JsonValidator.Validate(Schema, SampleBodies.SelfAssessment));
    }

    [Fact]
    public void Evidence_is_optional()
    {
        Assert.Empty(Check(body => body.Remove("evidence")));
    }

    [Fact]
    public void A_missing_criterion_is_reported_at_its_score()
    {
        Assert.Equal([new FieldError("/scores/unity", "required")], Check(body => body["scores"].Obj().Remove("unity")));
    }

    [Fact]
    public void A_criterion_not_in_the_rubric_is_an_unknown_property()
    {
        Assert.Equal([new FieldError("/scores/innovation", "unknown property")], Check(body => body["scores"]!["innovation"] = 5));
    }

    [Fact]
    public void Points_above_the_criterion_maximum_are_refused()
    {
        Assert.Equal([new FieldError("/scores/political", "must be ≤ 25")], Check(body => body["scores"]!["political"] = 25.5));
    }

    [Fact]
    public void Points_not_in_half_points_are_refused()
    {
        Assert.Equal([new FieldError("/scores/service", "must be a multiple of 0.5")], Check(body => body["scores"]!["service"] = 23.3));
    }

    [Fact]
    public void Negative_points_are_refused()
    {
        Assert.Equal([new FieldError("/scores/unity", "must be ≥ 0")], Check(body => body["scores"]!["unity"] = -1));
    }

    [Fact]
    public void Points_given_as_a_string_are_refused()
    {
        Assert.Equal([new FieldError("/scores/unity", "must be a number")], Check(body => body["scores"]!["unity"] = "20"));
    }

    [Fact]
    public void An_empty_summary_is_refused()
    {
        Assert.Equal([new FieldError("/summary", "must not be empty")], Check(body => body["summary"] = ""));
    }

    [Fact]
    public void A_summary_of_5000_characters_passes_and_of_5001_does_not()
    {
        Assert.Empty(Check(body => body["summary"] = new string('好', 5000)));
        Assert.Equal([new FieldError("/summary", "must be at most 5000 characters")],
            Check(body => body["summary"] = new string('好', 5001)));
    }

    [Fact]
    public void A_missing_summary_is_reported_at_it()
    {
        Assert.Equal([new FieldError("/summary", "required")], Check(body => body.Remove("summary")));
    }

    [Fact]
    public void Fifty_evidence_items_pass_and_fifty_one_do_not()
    {
        static Action<JsonObject> WithEvidence(int count) => body =>
        {
            JsonNode item = body["evidence"]![0]!;
            body["evidence"] = new JsonArray([.. Enumerable.Range(0, count).Select(_ => item.DeepClone())]);
        };

        Assert.Empty(Check(WithEvidence(50)));
        Assert.Equal([new FieldError("/evidence", "must have at most 50 items")], Check(WithEvidence(51)));
    }

    [Theory]
    [InlineData("ftp://docs.example/unity.pdf")]
    [InlineData("https://docs.example/a b.pdf")]
    [InlineData("docs.example/unity.pdf")]
    [InlineData("https://docs.example/unity.pdf\n")]
    public void An_evidence_url_that_is_not_http_is_refused(string url)
    {
        FieldError error = Assert.Single(Check(body => body["evidence"]![0]!["url"] = url));

        Assert.Equal("/evidence/0/url", error.Pointer);
        Assert.StartsWith("must match", error.Detail);
    }

    [Fact]
    public void An_evidence_url_longer_than_2000_characters_is_refused()
    {
        FieldError error = Assert.Single(Check(body => body["evidence"]![0]!["url"] = "https://docs.example/" + new string('a', 2000)));

        Assert.Equal(new FieldError("/evidence/0/url", "must be at most 2000 characters"), error);
    }

    [Fact]
    public void Evidence_for_a_criterion_not_in_the_rubric_is_refused()
    {
        FieldError error = Assert.Single(Check(body => body["evidence"]![0]!["criterion"] = "innovation"));

        Assert.Equal("/evidence/0/criterion", error.Pointer);
        Assert.Equal("must be one of: political, organization, service, unity", error.Detail);
    }

    [Fact]
    public void Errors_in_several_evidence_items_point_at_each_item_in_order()
    {
        IReadOnlyList<FieldError> errors = Check(body =>
        {
            JsonNode item = body["evidence"]![0]!;
            body["evidence"] = new JsonArray([.. Enumerable.Range(0, 12).Select(_ => item.DeepClone())]);
            body["evidence"]![10]!["title"] = "";
            body["evidence"]![2].Obj().Remove("url");
            body["evidence"]![2]!["note"] = "x";
        });

        Assert.Equal(
            [
                new FieldError("/evidence/2", "must be exactly one of: Link (title and url), File (evidenceId)"),
                new FieldError("/evidence/2/note", "unknown property"),
                new FieldError("/evidence/10/title", "must not be empty"),
            ],
            errors);
    }

    [Fact]
    public void The_generated_schema_names_each_criterion_with_its_maximum()
    {
        var campaign = SampleBodies.CampaignDefinition;
        campaign = campaign with
        {
            Rubric = campaign.Rubric with { Criteria = [.. campaign.Rubric.Criteria.Select((c, i) => c with { MaxPoints = 10 + i * 5 })] },
        };

        JsonObject document = JsonNode.Parse(SchemaCatalog.SelfAssessment(campaign).ToJson())!.AsObject();

        Assert.Equal("http://json-schema.org/draft-07/schema#", (string?)document["$schema"]);
        Assert.Equal("https://eval.example/schemas/campaigns/hongshan-2026/self-assessment.json", (string?)document["$id"]);
        Assert.False((bool)document["additionalProperties"]!);
        Assert.Equal(["scores", "summary"], document["required"].Arr().Select(n => (string)n!));
        JsonObject scores = document["properties"]!["scores"].Obj();
        Assert.Equal(["political", "organization", "service", "unity"], scores["properties"].Obj().Select(p => p.Key));
        Assert.Equal(["political", "organization", "service", "unity"], scores["required"].Arr().Select(n => (string)n!));
        Assert.Equal([10m, 15m, 20m, 25m], scores["properties"].Obj().Select(p => (decimal)p.Value!["maximum"]!));
        Assert.All(scores["properties"].Obj(), p => Assert.Equal(0.5m, (decimal)p.Value!["multipleOf"]!));
        Assert.Equal(["political", "organization", "service", "unity"],
            document["properties"]!["evidence"]!["items"]!["properties"]!["criterion"]!["enum"].Arr().Select(n => (string)n!));
    }

    [Fact]
    public async Task The_generated_schema_read_back_validates_the_same_way()
    {
        JsonSchema readBack = await JsonSchema.FromJsonAsync(Schema.ToJson());

        Assert.Empty(JsonValidator.Validate(readBack, SampleBodies.SelfAssessment));
        Assert.Equal([new FieldError("/scores/political", "must be ≤ 25")],
            JsonValidator.Validate(readBack, SampleBodies.Edit(SampleBodies.SelfAssessment, body => body["scores"]!["political"] = 26)));
    }
}
