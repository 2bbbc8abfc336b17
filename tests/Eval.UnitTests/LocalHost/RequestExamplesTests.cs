using System.Text.Json;
using Eval.Api.Http;
using Eval.Application.SelfTests;
using Eval.LocalHost.ApiDescription;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;

namespace Eval.UnitTests.LocalHost;

/// <summary>The OpenAPI document's request body examples pass the checks the API puts the bodies through.</summary>
public class RequestExamplesTests
{
    public static TheoryData<string, string> Examples()
    {
        var data = new TheoryData<string, string>();
        foreach ((string schema, IReadOnlyList<BodyExample> examples) in RequestExamples.BySchema)
            foreach (BodyExample example in examples) data.Add(schema, example.Key);
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Each_example_is_a_body_the_API_accepts(string schema, string key)
    {
        BodyExample example = RequestExamples.BySchema[schema].Single(e => e.Key == key);
        Assert.Empty(await CheckAsync(schema, example.Json));
    }

    [Theory]
    [InlineData(SchemaCatalog.Units, """{"units":[{"id":"chifeng.yuanbaoshan.t01","name":"元宝山区第1街道","kind":"village"}]}""")]
    [InlineData(SchemaCatalog.Campaign, """{"id":"x"}""")]
    [InlineData(SchemaCatalog.TownshipReview, """{"decision":"return"}""")]
    [InlineData(OpenApiSetup.SelfAssessmentBody, """{"scores":{"political":23},"summary":"全年开展主题党日12次"}""")]
    [InlineData(OpenApiSetup.CountyScoreBody, """{"scores":{"political":24,"organization":23,"service":23,"unity":25},"veto":"other"}""")]
    [InlineData(SchemaCatalog.HonourChange, """{"kind":"demote","reasonCategory":"veto","description":"无目标等次"}""")]
    [InlineData(SchemaCatalog.HonourChange,
        """{"kind":"revoke","toLevel":"advanced","reasonCategory":"veto","description":"撤销不带等次"}""")]
    [InlineData(SchemaCatalog.HonourChange, """{"kind":"revoke","reasonCategory":"late","description":"未知原因"}""")]
    [InlineData(SchemaCatalog.HonourChangeDecision, """{"approve":true,"comment":" "}""")]
    [InlineData(SchemaCatalog.Urge, """{"message":" "}""")]
    [InlineData(SchemaCatalog.DeadlineExtension, """{"reason":"防汛"}""")]
    [InlineData(SchemaCatalog.DeadlineExtension, """{"extendBy":"P3D","deadline":"2026-12-20T18:00:00+08:00","reason":"防汛"}""")]
    [InlineData(SchemaCatalog.DeadlineExtension, """{"deadline":"12月20日","reason":"防汛"}""")]
    [InlineData(RequestExamples.SelfTestStart, """{"deadlineSeconds":0}""")]
    [InlineData(RequestExamples.SelfTestStart, """{"deadlineSeconds":300,"by":"运维值班"}""")]
    [InlineData(RequestExamples.SelfTestConfirmation, """{"confirmedBy":"运维\n值班"}""")]
    public async Task The_check_refuses_a_body_the_API_refuses(string schema, string json)
    {
        Assert.NotEmpty(await CheckAsync(schema, json));
    }

    // The self-assessment and county score follow the campaign's rubric: the campaign example's.
    static CampaignDefinition Campaign => Json.Read<CampaignDefinition>(RequestExamples.BySchema[SchemaCatalog.Campaign][0].Json)!;

    /// <summary>The errors the API would answer 422 with (none for a body it accepts), as its handlers check each body.</summary>
    static async Task<IReadOnlyList<FieldError>> CheckAsync(string schema, string json)
    {
        switch (schema)
        {
            case SchemaCatalog.Campaign:
                IReadOnlyList<FieldError> shape = JsonValidator.Validate(await SchemaCatalog.GetAsync(schema), json);
                return shape.Count > 0 ? shape : CampaignRules.Validate(Json.Read<CampaignDefinition>(json)!);
            case OpenApiSetup.SelfAssessmentBody:
                return JsonValidator.Validate(SchemaCatalog.SelfAssessment(Campaign), json);
            case OpenApiSetup.CountyScoreBody:
                return JsonValidator.Validate(SchemaCatalog.CountyScore(Campaign), json);
            case RequestExamples.SelfTestStart:
                return SelfTestBody<SelfTestCommands.StartRequest>(json,
                    start => start.DeadlineSeconds is < 1 or > SelfTestCommands.MaxDeadlineSeconds
                        ? [new FieldError("/deadlineSeconds", "out of range")] : []);
            case RequestExamples.SelfTestConfirmation:
                return SelfTestBody<SelfTestCommands.ConfirmRequest>(json, _ => []);
            default:
                return JsonValidator.Validate(await SchemaCatalog.GetAsync(schema), json);
        }
    }

    /// <summary>A self-test body, read as JsonBody reads it: the text rule, then the record with no unknown property.</summary>
    static IReadOnlyList<FieldError> SelfTestBody<T>(string json, Func<T, IReadOnlyList<FieldError>> rules) where T : class
    {
        IReadOnlyList<FieldError> unclean = JsonValidator.ValidateText(json);
        if (unclean.Count > 0) return unclean;
        try
        {
            return JsonSerializer.Deserialize<T>(json, JsonBody.Options) is { } body ? rules(body) : [new FieldError("", "null")];
        }
        catch (JsonException e)
        {
            return [new FieldError(JsonBody.PointerOf(e), e.Message)];
        }
    }
}
