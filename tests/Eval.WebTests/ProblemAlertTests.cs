using Eval.Web.Services;
using Eval.Web.Shared;

namespace Eval.WebTests;

public sealed class ProblemAlertTests : ChineseCulture
{
    [Fact]
    public void A_refusal_is_said_in_words_with_the_APIs_detail()
    {
        var problem = new ApiProblem(409, "https://eval.example/problems/conflict", "The request does not fit the current state.",
            "The evaluation is awaiting-county-score.", []);

        IRenderedComponent<ProblemAlert> alert = Render<ProblemAlert>(p => p.Add(a => a.Problem, problem));

        Assert.Contains("当前状态下不能这样做。", alert.Markup);
        Assert.Contains("The evaluation is awaiting-county-score.", alert.Markup);
        Assert.Equal("409", alert.Find("[role=alert]").GetAttribute("data-status"));
    }

    [Fact]
    public void No_answer_and_an_unknown_status_are_said_too()
    {
        Assert.Contains("无法连接服务器", Render<ProblemAlert>(p => p.Add(a => a.Problem,
            new ApiProblem(ApiProblem.Unreachable, null, null, null, []))).Markup);
        Assert.Contains("出错了（418）", Render<ProblemAlert>(p => p.Add(a => a.Problem,
            new ApiProblem(418, null, "I'm a teapot", null, []))).Markup);
    }

    [Fact]
    public void Nothing_shows_without_a_problem() => Assert.Empty(Render<ProblemAlert>().Markup.Trim());
}
