using System.Net;
using System.Text.Json;
using Eval.Web.Pages;

namespace Eval.WebTests;

public sealed class CampaignEditorTests : ChineseCulture
{
    async Task<IRenderedComponent<CampaignEditorPage>> RenderEditorAsync()
    {
        await SignInAsAsync("org-department", "chifeng.hongshan");
        Api.Answer("/api/campaigns", """{"campaigns":[]}""");
        return Render<CampaignEditorPage>();
    }

    [Fact]
    public async Task The_form_and_the_JSON_view_edit_one_document_and_the_APIs_refusal_lands_on_its_field()
    {
        Api.Problem("/api/campaigns", HttpStatusCode.UnprocessableEntity, method: HttpMethod.Post, json: """
            {"status":422,"errors":[{"pointer":"/levels/0/minScore","detail":"must be ≤ 100"},
                                    {"pointer":"/rubric/bonusCap","detail":"caps bonuses, but the rubric has no bonus items"}]}
            """);
        IRenderedComponent<CampaignEditorPage> editor = await RenderEditorAsync();

        // The standard rules, for the department's unit and this year.
        Assert.Equal("chifeng.hongshan", editor.Find("[data-pointer='/unit'] input, input[data-pointer='/unit']").GetAttribute("value"));
        editor.Find("input[data-pointer='/levels/0/minScore'], [data-pointer='/levels/0/minScore'] input").Change("120");
        editor.Find("[data-testid=create-campaign]").Click();

        editor.WaitForAssertion(() => Assert.Single(Api.Requests, r => r.Method == HttpMethod.Post));
        using JsonDocument sent = JsonDocument.Parse(Api.Bodies[^1]);
        Assert.Equal(120, sent.RootElement.GetProperty("levels")[0].GetProperty("minScore").GetInt32());
        Assert.Equal("P14D", sent.RootElement.GetProperty("schedule").GetProperty("selfAssessment").GetString());
        editor.WaitForAssertion(() => Assert.Contains("must be ≤ 100", editor.FindAll(".mud-input-control")
            .Single(c => c.QuerySelector("[data-pointer='/levels/0/minScore']") is not null).TextContent));
        // A field only the JSON holds is listed with its pointer, so no refusal is hidden.
        Assert.Contains("/rubric/bonusCap", editor.Find("[data-testid=all-errors]").TextContent);
    }

    [Fact]
    public async Task JSON_that_does_not_parse_is_named_and_nothing_can_be_sent()
    {
        IRenderedComponent<CampaignEditorPage> editor = await RenderEditorAsync();
        editor.FindAll(".mud-tab")[1].Click();
        editor.Find("#campaign-json").Change("{\"id\": ");

        Assert.Contains("JSON 格式有误", editor.Markup);
        Assert.True(editor.Find("[data-testid=create-campaign]").HasAttribute("disabled"));
    }
}
