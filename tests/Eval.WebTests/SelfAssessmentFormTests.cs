using System.Net;
using System.Text.Json;
using Eval.Web.Services;
using Eval.Web.Shared.Evaluations;

namespace Eval.WebTests;

public sealed class SelfAssessmentFormTests : ChineseCulture
{
    const string Path = "/api/campaigns/c2026/evaluations/chifeng.hongshan.t01.b001/self-assessment";

    IRenderedComponent<SelfAssessmentForm> RenderForm(Evaluation? evaluation = null) => Render<SelfAssessmentForm>(p => p
        .Add(f => f.Evaluation, evaluation ?? Samples.Evaluation())
        .Add(f => f.Rubric, Samples.Rubric));

    [Fact]
    public void Criteria_are_grouped_by_section_and_the_total_follows_the_points_as_they_are_typed()
    {
        IRenderedComponent<SelfAssessmentForm> form = RenderForm();

        Assert.Equal(["引领作用", "民族团结"], form.FindAll("h2").Select(h => h.TextContent.Trim()[..4]).ToArray());
        form.Find("#points-political").Input("20");
        form.Find("#points-unity").Input("40");

        string total = form.Find("[data-testid=live-total]").TextContent;
        Assert.Contains("合计 60 / 100 分", total);
        Assert.Contains("民族团结得分率 80%", total);
        // The required file of the unity criterion is counted beside it.
        Assert.Contains("须上传至少 1 个文件，已上传 1 个", form.Find("[data-testid=criterion-unity]").TextContent);
    }

    [Fact]
    public void A_criterion_left_empty_is_named_beside_its_field_and_nothing_is_sent()
    {
        IRenderedComponent<SelfAssessmentForm> form = RenderForm();
        form.Find("#points-political").Input("20");
        form.Find("form").Submit();

        Assert.Empty(Api.Requests);
        Assert.Contains("请填写", FieldOf(form, "points-service"));
        Assert.DoesNotContain("请填写", FieldOf(form, "points-political"));
    }

    [Fact]
    public void The_APIs_refusal_of_a_field_is_shown_beside_it()
    {
        Api.Problem(Path, HttpStatusCode.UnprocessableEntity,
            """{"status":422,"title":"The request body is not valid.","errors":[{"pointer":"/scores/unity","detail":"must be ≤ 50"}]}""");
        IRenderedComponent<SelfAssessmentForm> form = FilledIn(RenderForm());
        form.Find("form").Submit();

        form.WaitForAssertion(() => Assert.Contains("must be ≤ 50", FieldOf(form, "points-unity")));
        Assert.Contains("填写的内容有误", form.Find("[role=alert]").TextContent);
    }

    [Fact]
    public void The_files_of_the_round_are_cited_and_the_same_form_in_a_later_round_has_another_key()
    {
        Api.Answer(Path, """{"accepted":true}""", HttpStatusCode.Accepted);
        FilledIn(RenderForm()).Find("form").Submit();
        FilledIn(RenderForm(Samples.Evaluation(round: 1))).Find("form").Submit();

        Assert.Equal(2, Api.Requests.Count);
        using JsonDocument sent = JsonDocument.Parse(Api.Bodies[0]);
        JsonElement cited = Assert.Single(sent.RootElement.GetProperty("evidence").EnumerateArray());
        Assert.Equal("ev-0193a8f2c4e47d2b9f1e6a3c5d7b8e90", cited.GetProperty("evidenceId").GetString());
        Assert.False(cited.TryGetProperty("url", out _)); // a file is cited by its id alone
        Assert.Equal(Api.Bodies[0], Api.Bodies[1]);
        Assert.NotEqual(KeyOf(Api.Requests[0]), KeyOf(Api.Requests[1]));
    }

    [Fact]
    public void A_returned_self_assessment_starts_from_what_was_sent_before()
    {
        IRenderedComponent<SelfAssessmentForm> form = RenderForm(Samples.Evaluation(round: 1, submission: Samples.Submitted));

        Assert.Equal("21", form.Find("#points-service").GetAttribute("value"));
        Assert.Contains("去年的总结", form.Find("#summary").TextContent + form.Find("#summary").GetAttribute("value"));
    }

    static IRenderedComponent<SelfAssessmentForm> FilledIn(IRenderedComponent<SelfAssessmentForm> form)
    {
        form.Find("#points-political").Input("20");
        form.Find("#points-service").Input("21");
        form.Find("#points-unity").Input("40");
        form.Find("#summary").Change("全年工作总结");
        return form;
    }

    static string FieldOf(IRenderedComponent<SelfAssessmentForm> form, string id) =>
        form.FindAll(".mud-input-control").Single(c => c.QuerySelector("#" + id) is not null).TextContent;

    static string KeyOf(HttpRequestMessage request) => request.Headers.GetValues("Idempotency-Key").Single();
}
