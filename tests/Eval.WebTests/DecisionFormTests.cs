using System.Net;
using System.Text.Json;
using Eval.Web.Shared.Evaluations;

namespace Eval.WebTests;

/// <summary>The township's review and the county's score: what each sends, and where a refusal is shown.</summary>
public sealed class DecisionFormTests : ChineseCulture
{
    const string Evaluation = "/api/campaigns/c2026/evaluations/chifeng.hongshan.t01.b001";

    IRenderedComponent<ReviewForm> RenderReview(int round = 0) => Render<ReviewForm>(p => p
        .Add(f => f.Evaluation, Samples.Evaluation("awaiting-township-review", round, Samples.Submitted))
        .Add(f => f.Rubric, Samples.Rubric)
        .Add(f => f.MaxReturns, 2));

    [Fact]
    public void A_return_without_a_comment_is_refused_beside_the_comment_and_nothing_is_sent()
    {
        IRenderedComponent<ReviewForm> review = RenderReview();
        review.FindAll("input[type=radio]")[1].Click();
        review.Find("form").Submit();

        Assert.Empty(Api.Requests);
        Assert.Contains("须说明原因", review.FindAll(".mud-input-control").Single(c => c.QuerySelector("#review-comment") is not
            null).TextContent);
    }

    [Fact]
    public void No_more_returns_are_offered_once_the_campaigns_limit_is_reached()
    {
        IRenderedComponent<ReviewForm> review = RenderReview(round: 2);
        Assert.True(review.FindAll("input[type=radio]")[1].HasAttribute("disabled"));
        Assert.Contains("已退回 2 次，最多可退回 2 次", review.Markup);
    }

    [Fact]
    public void An_approval_sends_the_deductions_found_with_their_reasons()
    {
        Api.Answer(Evaluation + "/township-review", """{"accepted":true}""", HttpStatusCode.Accepted);
        IRenderedComponent<ReviewForm> review = RenderReview();
        review.FindAll("input[type=radio]")[0].Click();
        review.Find("[data-testid=deduction-absent] input[inputmode=numeric]").Input("3");
        review.FindAll("[data-testid=deduction-absent] input")[1].Change("3人次缺席");
        review.Find("form").Submit();

        review.WaitForAssertion(() => Assert.Single(Api.Requests));
        using JsonDocument sent = JsonDocument.Parse(Api.Bodies[0]);
        Assert.Equal("approve", sent.RootElement.GetProperty("decision").GetString());
        JsonElement deduction = Assert.Single(sent.RootElement.GetProperty("deductions").EnumerateArray());
        Assert.Equal(3, deduction.GetProperty("occurrences").GetInt32());
        Assert.Equal("3人次缺席", deduction.GetProperty("reason").GetString());
        Assert.False(sent.RootElement.TryGetProperty("comment", out _));
    }

    [Fact]
    public void A_scorers_refused_bonus_reason_is_shown_on_the_bonus_it_belongs_to()
    {
        // The API points at the first bonus sent; the first deduction sent, at the same place in its own list, stays clean.
        Api.Problem(Evaluation + "/county-score", HttpStatusCode.UnprocessableEntity,
            """{"status":422,"errors":[{"pointer":"/bonuses/0/reason","detail":"must match \\S"}]}""");
        IRenderedComponent<ScoreForm> score = Render<ScoreForm>(p => p
            .Add(f => f.Evaluation, Samples.Evaluation("awaiting-county-score", 0, Samples.Submitted))
            .Add(f => f.Rubric, Samples.Rubric));
        score.Find("#score-political").Input("20");
        score.Find("#score-service").Input("20");
        score.Find("#score-unity").Input("45");
        score.Find("[data-testid=deduction-absent] input[inputmode=numeric]").Input("1");
        score.FindAll("[data-testid=deduction-absent] input")[1].Change("缺席1次");
        score.Find("[data-testid=bonus-honour] input[inputmode=decimal]").Input("2");
        score.FindAll("[data-testid=bonus-honour] input")[1].Change(" ");
        score.Find("form").Submit();

        score.WaitForAssertion(() => Assert.Contains("must match", score.Find("[data-testid=bonus-honour]").TextContent));
        Assert.DoesNotContain("must match", score.Find("[data-testid=deduction-absent]").TextContent);
        // What the branch gave itself is shown beside each of the scorer's fields.
        Assert.Contains("自评 40 分", score.Markup);
    }
}
