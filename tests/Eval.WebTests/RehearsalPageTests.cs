using System.Net;
using System.Text.Json;
using Eval.Web.Pages;

namespace Eval.WebTests;

public sealed class RehearsalPageTests : ChineseCulture
{
    const string Rehearsals = "/api/campaigns/c2026/rehearsals";

    /// <summary>The sample campaign with these levels in its definition.</summary>
    static string WithLevels(string levels) => Samples.CampaignJson.Replace("\"maxReturns\":2,", $"\"maxReturns\":2,\"levels\":{levels},");

    [Fact]
    public void The_campaigns_rules_come_first_then_the_rules_tried_beside_them_with_no_nulls_sent()
    {
        Api.Answer("/api/campaigns/c2026", WithLevels("""
                [{"id":"strongest","title":"最强党支部","minScore":90,"quota":0.3},
                 {"id":"advanced","title":"先进党支部","minScore":80,"quota":null}]
                """))
            .Answer(Rehearsals, """
                {"at":"2026-12-08T00:00:00+00:00","ranked":10,"levels":{"strongest":3,"advanced":5,"none":2},
                 "units":[{"unit":"chifeng.hongshan.t01","name":"第1街道","levels":{"strongest":3,"advanced":5,"none":2}}]}
                """);
        IRenderedComponent<RehearsalPage> page = Render<RehearsalPage>(p => p.Add(r => r.CampaignId, "c2026"));
        page.WaitForAssertion(() => Assert.Contains("第1街道", page.Find("[data-testid=rehearsal-result]").TextContent));

        Api.Answer(Rehearsals, """
            {"at":"2026-12-08T00:00:00+00:00","ranked":10,"levels":{"strongest":5,"advanced":3,"none":2},
             "units":[{"unit":"chifeng.hongshan.t01","name":"第1街道","levels":{"strongest":5,"advanced":3,"none":2}}]}
            """);
        page.FindAll("[data-testid=rehearsal-level]")[0].QuerySelectorAll("input")[1].Input("0.5");
        page.Find("[data-testid=rehearse]").Click();

        page.WaitForAssertion(() => Assert.Contains("3 → 5", page.Find("[data-testid=rehearsal-result]").TextContent));
        Assert.Equal("{}", Api.Bodies[1]); // the campaign's own rules: an empty rehearsal
        using JsonDocument tried = JsonDocument.Parse(Api.Bodies[2]);
        JsonElement[] levels = [.. tried.RootElement.GetProperty("levels").EnumerateArray()];
        Assert.Equal(0.5m, levels[0].GetProperty("quota").GetDecimal());
        Assert.False(levels[1].TryGetProperty("quota", out _)); // absent, not null, as the schema takes it
    }

    [Fact]
    public void A_refused_threshold_is_shown_on_its_level()
    {
        Api.Answer("/api/campaigns/c2026", WithLevels("""
                [{"id":"strongest","title":"最强党支部","minScore":90},{"id":"advanced","title":"先进党支部","minScore":80}]
                """))
            .Answer(Rehearsals, """{"at":"2026-12-08T00:00:00+00:00","ranked":0,"levels":{},"units":[]}""");
        IRenderedComponent<RehearsalPage> page = Render<RehearsalPage>(p => p.Add(r => r.CampaignId, "c2026"));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=rehearsal-level]").Count));

        Api.Problem(Rehearsals, HttpStatusCode.UnprocessableEntity,
            """
            {"status":422,"errors":[{"pointer":"/levels/1/minScore","detail":"must be lower than the previous level's minScore (80)"}]}
            """);
        page.FindAll("[data-testid=rehearsal-level]")[0].QuerySelectorAll("input")[0].Input("80");
        page.Find("[data-testid=rehearse]").Click();

        page.WaitForAssertion(() => Assert.Contains("must be lower", page.FindAll("[data-testid=rehearsal-level]")[1].TextContent));
    }
}
