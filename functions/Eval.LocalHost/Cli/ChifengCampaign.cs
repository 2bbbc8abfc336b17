using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Eval.Api.Http;
using Eval.Workflows.Domain;

namespace Eval.LocalHost.Cli;

/// <summary>
/// The Chifeng campaign (最强党支部评定) as the city defines it: the standard rubric, its three levels and a schedule of
/// weeks. The demo seed, the benchmark and the tests all start from this one definition and change, with <c>with</c>,
/// only what they are about (a short schedule, more scorers, other levels).
/// </summary>
public static class ChifengCampaign
{
    /// <summary>
    /// Four sections of one criterion of 25 points each; 民族团结进步 is the unity section, weighted 1.5, and a branch needs
    /// 80% of its points to be rated 最强党支部. Absences from organizational life cost 0.5 each, at most 4 (减分项); a
    /// commendation from above adds up to 3 (加分项); a county scorer may mark an innovation project (创新项目). A major
    /// incident harming ethnic unity disqualifies (一票否决).
    /// </summary>
    public static Rubric Rubric { get; } = new(
        [
            new Criterion("political", "政治引领", 25, Section: "political"),
            new Criterion("organization", "组织引领", 25, Section: "organization"),
            new Criterion("service", "服务引领", 25, Section: "service"),
            new Criterion("unity", "民族团结进步", 25, Section: "unity"),
        ],
        UnityWeight: 1.5m, UnityMinShare: 0.8m,
        [new VetoItem("ethnic-incident", "发生影响民族团结的重大事件")])
    {
        Sections =
        [
            new RubricSection("political", "政治引领"), new RubricSection("organization", "组织引领"),
            new RubricSection("service", "服务引领"), new RubricSection("unity", "民族团结进步", Unity: true),
        ],
        Deductions = [new DeductionItem("absent", "党员无故缺席组织生活（每人次）", PointsEach: 0.5m, Cap: 4m)],
        Bonuses = [new BonusItem("honour", "获评旗县级以上表彰", MaxPoints: 3m)],
        Flags = [new ScorerFlag("innovation", "党建创新项目")],
    };

    /// <summary>
    /// 最强党支部 from 90 points for at most 30% of the ranked branches, 先进党支部 from 80, 合格党支部 from 60.
    /// </summary>
    public static IReadOnlyList<Level> Levels { get; } =
    [
        new Level("strongest", "最强党支部", 90, Quota: 0.3m),
        new Level("advanced", "先进党支部", 80),
        new Level("qualified", "合格党支部", 60),
    ];

    /// <summary>Two weeks of self-assessment, a week of township review, ten days of county scoring, a five-day public notice.</summary>
    public static Schedule Schedule { get; } = new("P14D", "P7D", "P10D", "P5D");

    /// <summary>The campaign over <paramref name="unit"/>: one county scorer a branch, a self-assessment returned at most twice.</summary>
    public static CampaignDefinition Definition(string id, string unit, string title) =>
        new(id, title, unit, Rubric, Levels, Schedule, ScorersPerBranch: 1, MaxReturns: 2);

    /// <summary>
    /// The members' appraisal (民主测评) as practised: a week from the self-assessment, 满意 / 基本满意 / 不满意
    /// counting 100 / 80 / 0, valid when two thirds of the members vote; below 60% satisfied a branch is at most
    /// 合格党支部.
    /// </summary>
    public static AppraisalDefinition Appraisal { get; } = new("P7D",
        [
            new AppraisalChoice("satisfied", "满意", 100), new AppraisalChoice("fair", "基本满意", 80),
            new AppraisalChoice("dissatisfied", "不满意", 0),
        ],
        MinParticipation: 0.6667m)
    {
        Gate = new AppraisalGate(MinSatisfaction: 0.6m, CapsAt: "qualified"),
    };

    /// <summary><paramref name="campaign"/> with the members' appraisal counting for 30% of the score (basic 70%).</summary>
    public static CampaignDefinition WithAppraisal(this CampaignDefinition campaign, AppraisalDefinition? appraisal = null) => campaign with
    {
        Appraisal = appraisal ?? Appraisal,
        Rubric = campaign.Rubric with
        {
            Components = [new ScoreComponent(ScoreComponents.Basic, 0.7m), new ScoreComponent(ScoreComponents.Appraisal, 0.3m)],
        },
    };

    /// <summary>The demo campaign that <c>seed</c> starts over 红山区, the README's example, with the members' appraisal.</summary>
    public static CampaignDefinition Hongshan { get; } =
        Definition("hongshan-2026", "chifeng.hongshan", "红山区2026年度最强党支部评定").WithAppraisal();

    // The API's own options; a level without a quota leaves the member out, as the campaign schema has no null for it.
    static readonly JsonSerializerOptions BodyOptions = new(JsonBody.Options)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary><paramref name="definition"/> as the JSON body of POST /api/campaigns.</summary>
    public static JsonObject RequestBody(this CampaignDefinition definition) =>
        JsonSerializer.SerializeToNode(definition, BodyOptions)!.AsObject();
}
