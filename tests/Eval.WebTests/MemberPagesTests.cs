using System.Net;
using System.Text.Json;
using Eval.Web.Pages;

namespace Eval.WebTests;

/// <summary>What a party member does: one anonymous ballot, and an objection to a branch on the list under notice.</summary>
public sealed class MemberPagesTests : ChineseCulture
{
    const string Appraisal = "/api/campaigns/c2026/evaluations/chifeng.hongshan.t01.b001/appraisal";

    Task SignInAsync() => SignInAsAsync("member", "chifeng.hongshan.t01.b001");

    static string AppraisalJson(bool voted) => $$"""
        {"campaignId":"c2026","branchId":"chifeng.hongshan.t01.b001","status":"open","opensAt":"2026-12-01T00:00:00+00:00",
         "closesAt":"2026-12-08T00:00:00+00:00","choices":[{"id":"satisfied","title":"满意","value":100},
         {"id":"fair","title":"基本满意","value":80},{"id":"dissatisfied","title":"不满意","value":0}],
         "eligible":30,"named":false,"ballots":12,"youVoted":{{(voted ? "true" : "false")}},"result":null}
        """;

    [Fact]
    public async Task A_member_chooses_once_and_the_ballot_carries_the_choice_alone()
    {
        await SignInAsync();
        Api.Answer(Appraisal, AppraisalJson(voted: false))
            .Answer(Appraisal + "/ballots", """{"accepted":true}""", HttpStatusCode.Accepted);
        IRenderedComponent<AppraisalPage> page = Render<AppraisalPage>(p => p
            .Add(a => a.CampaignId, "c2026").Add(a => a.BranchId, "chifeng.hongshan.t01.b001"));

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("input[type=radio]").Count));
        page.FindAll("input[type=radio]")[1].Click();
        page.FindAll("button").Single(b => b.TextContent.Contains("投票")).Click();

        page.WaitForAssertion(() => Assert.Contains("您已投票", page.Markup));
        Assert.Equal("""{"choice":"fair"}""", Api.Bodies[^1]);
        // No Idempotency-Key: the API keeps none for ballots, which would tie a key to a voter.
        Assert.False(Api.Requests[^1].Headers.Contains("Idempotency-Key"));
    }

    [Fact]
    public async Task A_member_who_voted_is_told_so_and_offered_no_second_ballot()
    {
        await SignInAsync();
        Api.Answer(Appraisal, AppraisalJson(voted: true));
        IRenderedComponent<AppraisalPage> page = Render<AppraisalPage>(p => p
            .Add(a => a.CampaignId, "c2026").Add(a => a.BranchId, "chifeng.hongshan.t01.b001"));

        page.WaitForAssertion(() => Assert.Contains("您已投票", page.Markup));
        Assert.Empty(page.FindAll("input[type=radio]"));
    }

    [Fact]
    public async Task An_objection_to_a_branch_under_notice_is_sent_and_an_empty_one_is_refused_on_its_field()
    {
        await SignInAsync();
        Api.Answer("/api/campaigns/c2026/ratings", """
            {"campaignId":"c2026","status":"publicity","publicityEndsAt":"2026-12-10T00:00:00+00:00","publishedAt":null,
             "ratings":[{"branchId":"chifeng.hongshan.t01.b002","branchName":"二村党支部","score":95.5,"unityShare":0.96,"rank":1,
                         "level":"strongest"}]}
            """)
            .Problem("/api/campaigns/c2026/objections", HttpStatusCode.UnprocessableEntity,
                """{"status":422,"errors":[{"pointer":"/text","detail":"must not be blank"}]}""");
        IRenderedComponent<RatingsPage> page = Render<RatingsPage>(p => p.Add(r => r.CampaignId, "c2026"));

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=ratings] tbody tr")));
        page.Find("[data-testid=ratings] tbody tr button").Click();
        page.FindAll("[data-testid=objection-form] button").First(b => b.TextContent.Contains("提交异议")).Click();

        page.WaitForAssertion(() => Assert.Contains("must not be blank", page.Find("[data-testid=objection-form]").TextContent));
        using JsonDocument sent = JsonDocument.Parse(Api.Bodies[^1]);
        Assert.Equal("chifeng.hongshan.t01.b002", sent.RootElement.GetProperty("branchId").GetString());
    }
}
