using Eval.Web.Shared;

namespace Eval.WebTests;

public sealed class InboxListTests : ChineseCulture
{
    const string Page = """
        {"items":[
          {"kind":"township-review","role":"township-reviewer","status":"red","due":"2026-12-01T08:00:00+00:00",
           "campaignId":"c2026","campaignTitle":"2026年度评选","branchId":"chifeng.hongshan.t01.b001","branchName":"一村党支部",
           "unit":"chifeng.hongshan.t01","link":"/api/campaigns/c2026/evaluations/chifeng.hongshan.t01.b001",
           "action":"/api/campaigns/c2026/evaluations/chifeng.hongshan.t01.b001/township-review","escalated":false},
          {"kind":"township-review","role":"township-reviewer","status":"yellow","due":"2026-12-09T08:00:00+00:00",
           "campaignId":"c2026","campaignTitle":"2026年度评选","branchId":"chifeng.hongshan.t01.b002","branchName":"二村党支部",
           "unit":"chifeng.hongshan.t01","link":"/api/campaigns/c2026/evaluations/chifeng.hongshan.t01.b002",
           "action":"/api/campaigns/c2026/evaluations/chifeng.hongshan.t01.b002/township-review","escalated":false}
        ],"continuationToken":"next-1"}
        """;

    [Fact]
    public void Items_show_with_their_urgency_in_words_and_the_next_page_is_asked_for_with_the_token()
    {
        Api.Answer("/api/inbox?pageSize=50", Page)
            .Answer("/api/inbox?pageSize=50&continuationToken=next-1", """{"items":[],"continuationToken":null}""");
        IRenderedComponent<InboxList> inbox = Render<InboxList>();

        inbox.WaitForAssertion(() => Assert.Equal(2, inbox.FindAll("[data-testid=inbox] tbody tr").Count));
        string[] rows = inbox.FindAll("[data-testid=inbox] tbody tr").Select(r => r.TextContent).ToArray();
        Assert.Contains("已逾期", rows[0]);
        Assert.Contains("一村党支部", rows[0]);
        Assert.Contains("乡镇审核", rows[0]);
        Assert.Contains("即将到期", rows[1]);

        inbox.FindAll("button").Single(b => b.TextContent.Contains("加载更多")).Click();
        inbox.WaitForAssertion(() => Assert.Equal(2, Api.Requests.Count));
        Assert.DoesNotContain(inbox.FindAll("button"), b => b.TextContent.Contains("加载更多"));
    }

    [Fact]
    public void An_empty_inbox_says_so() =>
        Assert.Contains("暂无待办事项", RenderEmpty().WaitForElement("[data-testid=inbox-empty]").TextContent);

    IRenderedComponent<InboxList> RenderEmpty()
    {
        Api.Answer("/api/inbox?pageSize=50", """{"items":[],"continuationToken":null}""");
        return Render<InboxList>();
    }
}
