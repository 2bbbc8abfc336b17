using System.Net;
using Eval.Web.Pages;

namespace Eval.WebTests;

public sealed class RatingsPageTests : ChineseCulture
{
    [Fact]
    public void The_published_list_shows_levels_by_their_Chinese_names()
    {
        Api.Answer("/api/campaigns/c2026/ratings", """
            {"campaignId":"c2026","status":"published","publicityEndsAt":"2026-12-01T00:00:00+00:00",
             "publishedAt":"2026-12-02T00:00:00+00:00","ratings":[
              {"branchId":"chifeng.a.t.b1","branchName":"一村党支部","score":95.5,"unityShare":0.9,"rank":1,"level":"strongest"},
              {"branchId":"chifeng.a.t.b2","branchName":"二村党支部","score":80,"unityShare":0.75,"rank":2,"level":"star-5"}]}
            """);
        IRenderedComponent<RatingsPage> page = Render<RatingsPage>(p => p.Add(r => r.CampaignId, "c2026"));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=ratings] tbody tr").Count));
        Assert.Contains("已公布", page.Find("[data-testid=list-status]").TextContent);
        string[] rows = page.FindAll("[data-testid=ratings] tbody tr").Select(r => r.TextContent).ToArray();
        Assert.Contains("最强党支部", rows[0]);
        Assert.Contains("95.50", rows[0]);
        Assert.Contains("star-5", rows[1]); // a campaign's own level, as it is named
    }

    [Fact]
    public void Before_the_notice_the_page_says_why_there_is_no_list()
    {
        Api.Problem("/api/campaigns/c2026/ratings", HttpStatusCode.Conflict, """
            {"type":"https://eval.example/problems/conflict","title":"The request does not fit the current state.","status":409,
             "detail":"The campaign is running: ratings are public from the notice on."}
            """);
        IRenderedComponent<RatingsPage> page = Render<RatingsPage>(p => p.Add(r => r.CampaignId, "c2026"));

        page.WaitForAssertion(() => Assert.Contains("当前状态下不能这样做", page.Find("[role=alert]").TextContent));
        Assert.Contains("ratings are public from the notice on", page.Markup);
    }
}
