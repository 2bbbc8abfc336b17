using System.Net;
using System.Text.Json;
using Eval.Web.Pages;

namespace Eval.WebTests;

public sealed class HonourChangesPageTests : ChineseCulture
{
    const string Changes = "/api/campaigns/c2026/honours/chifeng.hongshan.t01.b001/changes";

    [Fact]
    public async Task A_revocation_is_proposed_with_its_reason_and_a_refused_description_shows_on_its_field()
    {
        await SignInAsAsync("county-scorer", "chifeng.hongshan");
        Api.Answer(Changes, """{"campaignId":"c2026","branchId":"chifeng.hongshan.t01.b001","changes":[]}""")
            .Problem(Changes, HttpStatusCode.UnprocessableEntity, method: HttpMethod.Post,
                json: """{"status":422,"errors":[{"pointer":"/description","detail":"must not be blank"}]}""");
        IRenderedComponent<HonourChangesPage> page = Render<HonourChangesPage>(p => p
            .Add(c => c.CampaignId, "c2026").Add(c => c.BranchId, "chifeng.hongshan.t01.b001"));

        page.WaitForAssertion(() => Assert.Single(Api.Requests));
        page.Find("[data-testid=propose]").Click();

        page.WaitForAssertion(() => Assert.Contains("must not be blank",
            page.FindAll(".mud-input-control").Single(c => c.QuerySelector("#change-description") is not null).TextContent));
        using JsonDocument sent = JsonDocument.Parse(Api.Bodies[^1]);
        Assert.Equal("revoke", sent.RootElement.GetProperty("kind").GetString());
        Assert.False(sent.RootElement.TryGetProperty("toLevel", out _)); // a revocation names no level
        Assert.Equal(0, sent.RootElement.GetProperty("evidence").GetArrayLength());
    }
}
