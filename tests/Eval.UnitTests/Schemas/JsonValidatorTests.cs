using Eval.Workflows.Schemas;
using NJsonSchema;

namespace Eval.UnitTests.Schemas;

public class JsonValidatorTests
{
    static readonly FieldError Malformed = new("", "malformed JSON");

    static Task<JsonSchema> CampaignSchema => SchemaCatalog.GetAsync(SchemaCatalog.Campaign);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("{\"id\":}")]
    [InlineData("{'id':'x'}")]
    [InlineData("{id:\"x\"}")]
    [InlineData("{\"id\":\"x\",}")]
    [InlineData("{\"id\":\"x\"} trailing")]
    [InlineData("{\"id\":\"x\"}{}")]
    [InlineData("{\"id\":\"x\" /* comment */}")]
    [InlineData("{\"maxReturns\":NaN}")]
    [InlineData("{\"id\":\"x\",\"id\":\"y\"}")]
    public async Task Malformed_JSON_is_one_error_at_the_root(string json)
    {
        Assert.Equal([Malformed], JsonValidator.Validate(await CampaignSchema, json));
    }

    [Theory]
    [InlineData("\"\\ud800\"")]
    [InlineData("\u0000")]
    [InlineData("{\"id\":\"\\u0000\"}")]
    [InlineData("{\"levels\":[{\"minScore\":-0.0e-9999}]}")]
    [InlineData("{\"rubric\":{\"criteria\":[{\"maxPoints\":1e308,\"title\":\"\\uD83D\\uDE00\"}]}}")]
    public async Task Odd_input_is_reported_not_thrown(string json)
    {
        Assert.NotEmpty(JsonValidator.Validate(await CampaignSchema, json));
    }

    [Fact]
    public async Task A_null_body_is_malformed_JSON()
    {
        Assert.Equal([Malformed], JsonValidator.Validate(await CampaignSchema, null!));
    }

    [Fact]
    public async Task Deep_nesting_is_malformed_JSON_rather_than_a_crash()
    {
        string json = new string('[', 100_000) + new string(']', 100_000);

        Assert.Equal([Malformed], JsonValidator.Validate(await CampaignSchema, json));
    }

    [Fact]
    public async Task Deep_nesting_inside_an_unknown_property_is_reported_as_unknown()
    {
        string body = SampleBodies.Edit(SampleBodies.Campaign, _ => { });
        string json = body[..body.LastIndexOf('}')] + ",\"extra\":" + new string('[', 30) + new string(']', 30) + "}";

        Assert.Equal([new FieldError("/extra", "unknown property")], JsonValidator.Validate(await CampaignSchema, json));
    }

    [Theory]
    [InlineData("\"unityWeight\":1.5", "\"unityWeight\":1e400", "/rubric/unityWeight", "must be ≤ 10")]
    [InlineData("\"unityMinShare\":0.8", "\"unityMinShare\":-1e400", "/rubric/unityMinShare", "must be ≥ 0")]
    [InlineData("\"maxReturns\":2", "\"maxReturns\":123456789012345678901234567890123456789", "/maxReturns", "must be ≤ 10")]
    [InlineData("\"scorersPerBranch\":1", "\"scorersPerBranch\":-98765432109876543210987654321", "/scorersPerBranch", "must be ≥ 1")]
    public async Task Huge_numbers_are_out_of_range_rather_than_a_crash(string original, string huge, string pointer, string detail)
    {
        string json = SampleBodies.Campaign.Replace(original, huge, StringComparison.Ordinal);
        Assert.NotEqual(SampleBodies.Campaign, json);

        Assert.Equal([new FieldError(pointer, detail)], JsonValidator.Validate(await CampaignSchema, json));
    }

    [Fact]
    public void A_huge_number_as_points_is_out_of_range()
    {
        JsonSchema schema = SchemaCatalog.SelfAssessment(SampleBodies.CampaignDefinition);
        string json = SampleBodies.SelfAssessment.Replace("\"political\":23", "\"political\":1e400", StringComparison.Ordinal);

        Assert.Contains(new FieldError("/scores/political", "must be ≤ 25"), JsonValidator.Validate(schema, json));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("\"campaign\"")]
    [InlineData("null")]
    public async Task A_body_that_is_not_an_object_is_reported_once_at_the_root(string json)
    {
        Assert.Equal([new FieldError("", "must be an object")], JsonValidator.Validate(await CampaignSchema, json));
    }

    [Fact]
    public async Task A_nested_value_of_the_wrong_type_is_not_also_missing_its_properties()
    {
        string json = SampleBodies.Edit(SampleBodies.Campaign, body => body["rubric"] = 5);

        Assert.Equal([new FieldError("/rubric", "must be an object")], JsonValidator.Validate(await CampaignSchema, json));
    }

    [Fact]
    public async Task Property_names_are_escaped_as_RFC_6901_says()
    {
        string json = SampleBodies.Edit(SampleBodies.Campaign, body =>
        {
            body["a/b"] = 1;
            body["m~n"] = 2;
            body["x.y[0]"] = 3;
        });

        Assert.Equal(
            ["/a~1b", "/m~0n", "/x.y[0]"],
            JsonValidator.Validate(await CampaignSchema, json).Select(e => e.Pointer));
    }

    [Fact]
    public async Task Property_names_are_case_sensitive()
    {
        string json = SampleBodies.Edit(SampleBodies.Campaign, body =>
        {
            body["Title"] = body["title"]!.DeepClone();
            body.Remove("title");
        });

        Assert.Equal(
            [new FieldError("/Title", "unknown property"), new FieldError("/title", "required")],
            JsonValidator.Validate(await CampaignSchema, json));
    }

    [Fact]
    public async Task A_pattern_anchored_at_the_end_refuses_a_trailing_newline()
    {
        string json = SampleBodies.Edit(SampleBodies.Campaign, body => body["id"] = "hongshan-2026\n");

        FieldError error = Assert.Single(JsonValidator.Validate(await CampaignSchema, json));
        Assert.Equal("/id", error.Pointer);
        Assert.StartsWith("must match the pattern", error.Detail);
    }

    [Fact]
    public async Task Date_like_strings_stay_strings()
    {
        string json = SampleBodies.Edit(SampleBodies.Campaign, body => body["title"] = "2026-01-01T00:00:00Z");

        Assert.Empty(JsonValidator.Validate(await CampaignSchema, json));
    }

    [Fact]
    public async Task Errors_are_ordered_by_pointer_with_indexes_in_number_order()
    {
        string json = SampleBodies.Edit(SampleBodies.Campaign, body =>
        {
            var levels = body["levels"].Arr();
            while (levels.Count < 11) levels.Add(levels[^1]!.DeepClone());
            levels[10]!["title"] = "";
            levels[2]!["title"] = "";
            body["title"] = "";
        });

        Assert.Equal(
            ["/levels", "/levels/2/title", "/levels/10/title", "/title"],
            JsonValidator.Validate(await CampaignSchema, json).Select(e => e.Pointer));
    }
}
