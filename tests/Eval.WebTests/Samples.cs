using System.Text.Json;
using Eval.Web.Services;

namespace Eval.WebTests;

/// <summary>
/// The API's resources as the component tests give them: a campaign with sections and a deduction, one branch's evaluation.
/// </summary>
static class Samples
{
    public const string CampaignJson = """
        {"id":"c2026","title":"2026年度评选","unit":"chifeng.hongshan","status":"running","definition":{
          "id":"c2026","title":"2026年度评选","unit":"chifeng.hongshan","scorersPerBranch":2,"maxReturns":2,
          "rubric":{"criteria":[
              {"id":"political","title":"政治引领","maxPoints":25,"unity":false,"section":"lead"},
              {"id":"service","title":"服务引领","maxPoints":25,"unity":false,"section":"lead"},
              {"id":"unity","title":"民族团结进步","maxPoints":50,"unity":false,"section":"unity",
               "evidence":{"required":true,"minFiles":1}}],
            "unityWeight":1.5,"unityMinShare":0.8,"vetoItems":[{"id":"incident","title":"发生重大事件"}],
            "sections":[{"id":"lead","title":"引领作用","unity":false},{"id":"unity","title":"民族团结","unity":true}],
            "deductions":[{"id":"absent","title":"无故缺席组织生活","pointsEach":0.5,"cap":4}],
            "bonuses":[{"id":"honour","title":"获评表彰","maxPoints":3}],
            "flags":[{"id":"innovation","title":"党建创新项目"}]}}}
        """;

    public static Rubric Rubric => JsonSerializer.Deserialize<CampaignView>(CampaignJson, EvalApi.Json)!.Definition!.Rubric;

    /// <summary>An evaluation at <paramref name="stage"/>, in <paramref name="round"/>, with one verified file for unity.</summary>
    public static Evaluation Evaluation(string stage = "awaiting-self-assessment", int round = 0, string? submission = null) =>
        JsonSerializer.Deserialize<Evaluation>(EvaluationJson(stage, round, submission), EvalApi.Json)!;

    public static string EvaluationJson(string stage = "awaiting-self-assessment", int round = 0, string? submission = null) => $$"""
        {"campaignId":"c2026","branchId":"chifeng.hongshan.t01.b001","branchName":"一村党支部","stage":"{{stage}}","overdue":false,
         "outcome":null,"finalScore":null,"unityShare":null,"round":{{round}},"stageDeadline":"2026-12-20T00:00:00+00:00",
         "submission":{{submission ?? "null"}},"review":null,"scores":[],"history":[],"category":null,
         "evidence":[{"evidenceId":"ev-0193a8f2c4e47d2b9f1e6a3c5d7b8e90","round":{{round}},"criterion":"unity","title":"签到表",
                      "fileName":"签到表.pdf","status":"verified","contentType":"application/pdf","size":2048,"sha256":"ab",
                      "uploadedAt":"2026-12-08T00:00:00+00:00","refusal":null}]}
        """;

    public const string Submitted = """
        {"assessment":{"scores":{"political":20,"service":21,"unity":40},"summary":"去年的总结",
          "evidence":[{"criterion":"unity","evidenceId":"ev-0193a8f2c4e47d2b9f1e6a3c5d7b8e90"}]},
         "by":{"id":"s","name":"书记","role":"branch-secretary"},"at":"2026-12-08T00:00:00+00:00","round":0}
        """;
}
