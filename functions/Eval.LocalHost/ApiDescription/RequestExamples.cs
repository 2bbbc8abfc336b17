using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;

namespace Eval.LocalHost.ApiDescription;

/// <summary>
/// The request bodies' examples in the OpenAPI document, by the name of the body's schema (components/schemas): the
/// README's walkthrough over 元宝山区, one campaign whose rubric the self-assessment and county score follow. A human
/// step's examples are its own (<see cref="StepDescription.Examples"/>, under the step's name). Every example is valid
/// as the API checks it (RequestExamplesTests), so the page can send it as it stands.
/// </summary>
public static class RequestExamples
{
    public const string BranchId = "chifeng.yuanbaoshan.t01.b001";

    /// <summary>The self-test's bodies are C# records without a JSON Schema of their own: these are their components' names.</summary>
    public const string SelfTestStart = "StartRequest";
    public const string SelfTestConfirmation = "ConfirmRequest";

    public static IReadOnlyDictionary<string, IReadOnlyList<BodyExample>> BySchema { get; } =
        Others.Concat(HumanStep.All.Select(step => KeyValuePair.Create(step.Name, step.Description.Examples)))
            .ToDictionary(StringComparer.Ordinal);

    static IReadOnlyDictionary<string, IReadOnlyList<BodyExample>> Others =>
        new Dictionary<string, IReadOnlyList<BodyExample>>(StringComparer.Ordinal)
        {
            [SchemaCatalog.Units] =
            [
                new("township", "A township and its first branch (the county exists already)", """
                    {"units":[{"id":"chifeng.yuanbaoshan.t01","name":"元宝山区第1街道","kind":"township"},
                     {"id":"chifeng.yuanbaoshan.t01.b001","name":"元宝山区第1街道第1社区党支部","kind":"branch"}]}
                    """),
            ],
            [SchemaCatalog.Campaign] =
            [
                new("yuanbaoshan", "A campaign over 元宝山区: four criteria, one of them the unity criterion, three levels " +
                    "and the members' appraisal counting for 30%", """
                    {"id":"yuanbaoshan-2026","title":"元宝山区2026年度最强党支部评定","unit":"chifeng.yuanbaoshan",
                     "rubric":{"criteria":[{"id":"political","title":"政治引领","maxPoints":25},
                                           {"id":"organization","title":"组织引领","maxPoints":25},
                                           {"id":"service","title":"服务引领","maxPoints":25},
                                           {"id":"unity","title":"民族团结进步","maxPoints":25,"unity":true}],
                               "unityWeight":1.5,"unityMinShare":0.8,
                               "vetoItems":[{"id":"ethnic-incident","title":"发生影响民族团结的重大事件"}],
                               "components":[{"kind":"basic","weight":0.7},{"kind":"appraisal","weight":0.3}]},
                     "levels":[{"id":"strongest","title":"最强党支部","minScore":90,"quota":0.3},
                               {"id":"advanced","title":"先进党支部","minScore":80},
                               {"id":"qualified","title":"合格党支部","minScore":60}],
                     "schedule":{"selfAssessment":"P14D","townshipReview":"P7D","countyScoring":"P10D","publicity":"P5D"},
                     "scorersPerBranch":1,"maxReturns":2,
                     "appraisal":{"window":"P7D","choices":[{"id":"satisfied","title":"满意","value":100},
                                  {"id":"fair","title":"基本满意","value":80},{"id":"dissatisfied","title":"不满意","value":0}],
                                  "minParticipation":0.6667,"gate":{"minSatisfaction":0.6,"capsAt":"qualified"}}}
                    """),
            ],
            [SchemaCatalog.EvidenceSlot] =
            [
                new("sign-in-sheet", "A PDF of the sign-in sheet of a national-unity theme day, for the unity criterion", """
                    {"criterion":"unity","title":"民族团结主题党日签到表","fileName":"签到表-2026-09.pdf",
                     "contentType":"application/pdf","size":482133}
                    """),
            ],
            [SchemaCatalog.JointVeto] =
            [
                new("discipline", "A veto the discipline inspection commission found, with its document", """
                    {"department":"元宝山区纪委监委","documentRef":"元纪函〔2026〕12号",
                     "reason":"支部书记受党内严重警告处分"}
                    """),
            ],
            [SchemaCatalog.Urge] =
            [
                new("urge", "The township urges a branch's self-assessment", """
                    {"message":"请于本周内完成自评，并上传民族团结主题党日的签到表。"}
                    """),
            ],
            [SchemaCatalog.DeadlineExtension] =
            [
                new("by-duration", "Three more days for the waiting step", """
                    {"extendBy":"P3D","reason":"防汛抢险，支部党员集中参加抗洪。"}
                    """),
                new("to-a-moment", "A new deadline, in China Standard Time", """
                    {"deadline":"2026-12-20T18:00:00+08:00","reason":"苏木换届，审核人员调整。"}
                    """),
            ],
            [SchemaCatalog.AppraisalRoster] =
            [
                new("members", "The members who may vote, by their sign-in ids (no names)", """
                    {"members":["m-0153","m-0154","m-0155","m-0156","m-0157","m-0158"]}
                    """),
                new("count", "Only the number of members, who vote with their own member tokens", """{"memberCount":15}"""),
            ],
            [SchemaCatalog.AppraisalBallot] =
            [
                new("satisfied", "满意", """{"choice":"satisfied"}"""),
            ],
            [SchemaCatalog.Rehearsal] =
            [
                new("per-township", "The top level's places handed to each township, 30 % of its ranked branches", """
                    {"levels":[{"id":"strongest","title":"最强党支部","minScore":90,"quota":0.3,"allocation":{"by":"township"}},
                               {"id":"advanced","title":"先进党支部","minScore":80},
                               {"id":"qualified","title":"合格党支部","minScore":60}]}
                    """),
                new("unity-weight", "The unity criteria weighted 2 instead of 1.5", """{"unityWeight":2}"""),
            ],
            [SchemaCatalog.Publication] =
            [
                new("finished", "Publish once every evaluation has finished (409 while any has not)", "{}"),
                new("force", "Publish now: the unfinished evaluations end as not evaluated", """{"force":true}"""),
            ],
            [SchemaCatalog.Objection] =
            [
                new("objection", "An objection to a branch's result during the public notice", $$"""
                    {"branchId":"{{BranchId}}","text":"请核实该支部民族团结活动记录。"}
                    """),
            ],
            [SchemaCatalog.ObjectionResolution] =
            [
                new("dismiss", "Dismiss an objection after checking", """{"upheld":false,"comment":"经核实，活动记录属实。"}"""),
            ],
            [SchemaCatalog.ObjectionResolutions] =
            [
                new("dismiss-two", "Dismiss two objections about the same records with one finding", """
                    {"objectionIds":["obj-0199f2a1c3e04b8d2e6f1a9c7b3d5e08","obj-0199f2a4d7b19c2e5a0f3d8b6e1c4a27"],
                     "upheld":false,"comment":"经核实，两件异议所指活动记录均属实。"}
                    """),
            ],
            [SchemaCatalog.HonourChangeEvidence] =
            [
                new("decision", "The discipline commission's decision (a PDF) behind a revocation", """
                    {"title":"纪委处分决定书","fileName":"处分决定.pdf","contentType":"application/pdf","size":182133}
                    """),
            ],
            [SchemaCatalog.HonourChange] =
            [
                new("revoke", "Revoke a title after a veto event, citing an uploaded file", """
                    {"kind":"revoke","reasonCategory":"veto",
                     "description":"支部书记受党内严重警告处分，\n依据一票否决事项撤销称号。",
                     "evidence":["ev-0199f2a1c3e04b8d2e6f1a9c7b3d5e08"]}
                    """),
                new("demote", "Demote a title one level for an item of the negative list", """
                    {"kind":"demote","toLevel":"advanced","reasonCategory":"negative-list",
                     "description":"组织生活会连续两个季度未按期召开。"}
                    """),
            ],
            [SchemaCatalog.HonourChangeDecision] =
            [
                new("approve-with-notice", "Approve, with a public notice first", """
                    {"approve":true,"notice":true,"comment":"经核实属实，同意撤销，公示5天。"}
                    """),
                new("refuse", "Refuse", """{"approve":false,"comment":"证据不足，不予批准。"}"""),
            ],
            [SchemaCatalog.HonourChangeObjection] =
            [
                new("objection", "An objection during the change's public notice", """
                    {"text":"处分已于2026年5月撤销，请核实。"}
                    """),
            ],
            [SchemaCatalog.Subscription] =
            [
                new("sms-relay", "A county's relay to its SMS gateway: reminders, missed deadlines and urgings of the county and below",
                    """
                    {"unit":"chifeng.yuanbaoshan","url":"https://notify.yuanbaoshan.example.gov.cn/eval/webhook",
                     "types":["cn.eval.reminder","cn.eval.overdue","cn.eval.urged"],"description":"元宝山区短信网关中继"}
                    """),
                new("wecom-bot", "A township's WeCom group bot relay, for extended deadlines only", """
                    {"unit":"chifeng.yuanbaoshan.t01","url":"https://relay.example.org/wecom/yuanbaoshan-t01",
                     "types":["cn.eval.deadline-extended"]}
                    """),
            ],
            [SelfTestStart] =
            [
                new("five-minutes", "A self-test that waits up to five minutes for its confirmation",
                    """{"deadlineSeconds":300,"requestedBy":"运维值班"}"""),
            ],
            [SelfTestConfirmation] =
            [
                new("confirm", "Confirm the waiting self-test", """{"confirmedBy":"运维值班"}"""),
            ],
        };
}
