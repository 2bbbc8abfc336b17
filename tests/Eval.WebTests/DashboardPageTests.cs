using Eval.Web.Pages;

namespace Eval.WebTests;

public sealed class DashboardPageTests : ChineseCulture
{
    static string Row(string unit, string name, string kind, int selfAssessment, int done, int overdue, string levels, string scores) =>
        $$"""
        {"unit":"{{unit}}","name":"{{name}}","kind":"{{kind}}","evaluations":{{selfAssessment + done}},
         "stages":{"awaiting-self-assessment":{{selfAssessment}},"awaiting-township-review":0,"awaiting-county-score":0,
                   "awaiting-appraisal":0,"done":{{done}}},
         "overdue":{{overdue}},"outcomes":{"scored":{{done}}},"levels":{{levels}},"scored":{{done}},
         "meanScore":{{(done > 0 ? "88.5" : "null")}},
         "scores":{{scores}},"unityShares":[{"from":0,"to":0.5,"count":0},{"from":0.5,"to":null,"count":{{done}}}]}
        """;

    const string Scores = """[{"from":0,"to":80,"count":1},{"from":80,"to":90,"count":2},{"from":90,"to":null,"count":3}]""";

    [Fact]
    public void The_funnel_the_histograms_and_a_row_per_child_unit_with_its_levels_are_shown()
    {
        const string levels = """{"strongest":2,"advanced":1}""";
        Api.Answer("/api/campaigns/c2026/statistics", $$"""
            {"campaignId":"c2026","status":"publicity","unit":"chifeng.hongshan","asOf":"2026-12-08T00:00:00+00:00",
             "total":{{Row("chifeng.hongshan", "红山区", "county", 4, 6, 1, levels, Scores)}},
             "children":[{{Row("chifeng.hongshan.t01", "第1街道", "township", 4, 2, 1, levels, Scores)}},
                         {{Row("chifeng.hongshan.t02", "第2街道", "township", 0, 4, 0, "null", Scores)}}]}
            """);
        IRenderedComponent<DashboardPage> page = Render<DashboardPage>(p => p.Add(d => d.CampaignId, "c2026"));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=by-unit] tbody tr").Count));
        string funnel = page.Find("[data-testid=funnel]").TextContent;
        Assert.Contains("待自评申报", funnel);
        Assert.Contains("已完成", funnel);
        // The levels of the list are columns, by their Chinese names; a unit without any shows 0.
        string header = page.Find("[data-testid=by-unit] thead").TextContent;
        Assert.Contains("最强党支部", header);
        Assert.Contains("先进党支部", header);
        var first = page.FindAll("[data-testid=by-unit] tbody tr")[0];
        Assert.Contains("第1街道", first.TextContent);
        Assert.Equal("campaigns/c2026/dashboard?unit=chifeng.hongshan.t01", first.QuerySelector("a")!.GetAttribute("href"));
        // The histograms say their counts in words too, for a screen reader.
        string[] charts = [.. page.FindAll("figure.histogram").Select(f => f.GetAttribute("aria-label")!)];
        Assert.Equal(2, charts.Length);
        Assert.Contains("90+ 3", charts[0]);
        Assert.Contains("50%+ 6", charts[1]);
        Assert.Contains("60%", page.Markup); // six of ten done
    }
}
