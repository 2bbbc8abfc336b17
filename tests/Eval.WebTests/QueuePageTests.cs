using System.Net;
using Eval.Web.Pages;

namespace Eval.WebTests;

public sealed class QueuePageTests : ChineseCulture
{
    const string Evaluations = "/api/campaigns/c2026/evaluations";

    [Fact]
    public async Task Approval_in_bulk_shows_what_will_be_approved_then_sends_one_decision_per_branch()
    {
        await SignInAsAsync("township-reviewer", "chifeng.hongshan.t01");
        Api.Answer($"{Evaluations}?pageSize=100&unit=chifeng.hongshan.t01&stage=awaiting-township-review", """
            {"items":[
              {"branchId":"chifeng.hongshan.t01.b001","branchName":"一村党支部","stage":"awaiting-township-review","overdue":false,
               "outcome":null,"finalScore":null,"unityShare":null,"round":0,"stageDeadline":"2026-12-20T00:00:00+00:00"},
              {"branchId":"chifeng.hongshan.t01.b002","branchName":"二村党支部","stage":"awaiting-township-review","overdue":true,
               "outcome":null,"finalScore":null,"unityShare":null,"round":1,"stageDeadline":"2026-12-01T00:00:00+00:00"}],
             "continuationToken":null}
            """)
            .Answer($"{Evaluations}/chifeng.hongshan.t01.b001", Samples.EvaluationJson("awaiting-township-review", 0, Samples.Submitted))
            .Answer($"{Evaluations}/chifeng.hongshan.t01.b002",
                Samples.EvaluationJson("awaiting-township-review", 1, Samples.Submitted).Replace("t01.b001", "t01.b002"))
            .Answer($"{Evaluations}/chifeng.hongshan.t01.b001/township-review", """{"accepted":true}""", HttpStatusCode.Accepted)
            .Problem($"{Evaluations}/chifeng.hongshan.t01.b002/township-review", HttpStatusCode.Conflict,
                """{"status":409,"title":"The evaluation is not at this stage.","detail":"It was decided a moment ago."}""");

        IRenderedComponent<QueuePage> queue = Render<QueuePage>(p => p.Add(q => q.CampaignId, "c2026"));
        queue.WaitForAssertion(() => Assert.Equal(2, queue.FindAll("[data-testid=queue] tbody tr").Count));
        queue.Find("[data-testid=queue] thead input[type=checkbox]").Change(true);
        queue.Find("[data-testid=bulk-approve]").Click();

        // Nothing is decided before the preview is confirmed; the preview shows each branch's own total.
        queue.WaitForAssertion(() => Assert.Equal(2, queue.FindAll("[data-testid=bulk-preview] tbody tr").Count));
        Assert.DoesNotContain(Api.Requests, r => r.Method == HttpMethod.Post);
        Assert.Contains("81", queue.Find("[data-testid=bulk-preview] tbody tr").TextContent);

        queue.Find("[data-testid=bulk-confirm]").Click();
        queue.WaitForAssertion(() => Assert.Equal(2, Api.Requests.Count(r => r.Method == HttpMethod.Post)));
        string[] results = [.. queue.FindAll("[data-testid=bulk-preview] tbody tr").Select(r => r.TextContent)];
        Assert.Contains("已通过", results[0]);
        Assert.Contains("It was decided a moment ago.", results[1]);
        Assert.Equal(2, Api.Requests.Where(r => r.Method == HttpMethod.Post)
            .Select(r => r.Headers.GetValues("Idempotency-Key").Single()).Distinct().Count());
        Assert.All(Api.Bodies.Where(b => b.Length > 0), b => Assert.Equal("""{"decision":"approve"}""", b));
    }
}
