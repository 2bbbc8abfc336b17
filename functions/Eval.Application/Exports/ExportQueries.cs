using System.Globalization;
using System.Runtime.CompilerServices;
using Eval.Application.Statistics;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;

namespace Eval.Application.Exports;

/// <summary>
/// The spreadsheets a campaign's readers download (GET /api/campaigns/{cid}/exports/…): the list under public notice
/// (公示名单), the published list, a unit's evaluations with where each stands, and the statistics. Who may have them is
/// what the statistics say (<see cref="StatisticsQueries.ScopeAsync"/>). The lists and the evaluations are read from
/// their tables a page at a time while the file is written; the statistics come from the statistics kept per host.
/// </summary>
public sealed class ExportQueries(StatisticsQueries statistics, EvaluationStore evaluations, RatingStore ratings, UnitNames unitNames,
    TimeProvider clock)
{
    public const string Notice = "notice", Published = "published", Evaluations = "evaluations", Statistics = "statistics";

    const int PageSize = 1000;

    public async Task<Result<ExportTable>> ExportAsync(Caller caller, string campaignId, string what, string? unit, string? format,
        CancellationToken ct)
    {
        Result<ReportScope> scope = await statistics.ScopeAsync(caller, campaignId, unit, ct);
        if (!scope.Ok) return scope.Problem;
        ExportFormat? chosen = format switch { null or "xlsx" => ExportFormat.Xlsx, "csv" => ExportFormat.Csv, _ => null };
        if (chosen is not { } f) return Problem.Validation([new FieldError("/query/format", "xlsx or csv")]);
        CampaignRecord campaign = scope.Value.Campaign;
        string status = campaign.Status;
        switch (what)
        {
            case Notice when status is not (CampaignStatus.Publicity or CampaignStatus.Published):
                return Problem.Conflict($"The campaign is {status}: the list under public notice exists from the notice on.");
            case Published when status != CampaignStatus.Published:
                return Problem.Conflict($"The campaign is {status}: the list is published at the end of the notice.");
            case Evaluations when campaign.BranchCount is null:
                return Problem.Conflict($"The campaign is {status}: its evaluations have not started.");
        }
        Dictionary<string, string> names = await unitNames.AroundAsync(scope.Value.Unit, ct);
        string title = campaign.Definition.Title, place = scope.Value.Unit == campaign.Definition.Unit ? ""
            : $"（{names.GetValueOrDefault(scope.Value.Unit, scope.Value.Unit)}）";
        string ascii = scope.Value.Unit == campaign.Definition.Unit ? $"{campaignId}-{what}" : $"{campaignId}-{what}-{scope.Value.Unit}";
        ExportTable Table(string sheet, string suffix, IReadOnlyList<ExportColumn> columns, IAsyncEnumerable<ExportValue[]> rows) =>
            new(f, sheet, FileNames.Sanitize(title + suffix + place), ascii, columns, rows);
        return what switch
        {
            Notice => Table("公示名单", "公示名单", ListColumns("拟定等次"),
                ListRows(scope.Value, published: false, names, ct)),
            Published => Table("评定结果", "评定结果名单", ListColumns("等次"),
                ListRows(scope.Value, published: true, names, ct)),
            Evaluations => Table("评定情况", "评定情况明细", EvaluationColumns(campaign), EvaluationRows(scope.Value, names, ct)),
            Statistics => Table("统计", "统计", StatisticsColumns(campaign), StatisticsRows(scope.Value, ct)),
            _ => Problem.NotFound($"No export '{what}'."),
        };
    }

    // ---- The lists (公示名单, 评定结果名单): one row per branch on the list, in branch id order (so a county's and a
    // township's branches stand together); the rank says the order of merit.

    static IReadOnlyList<ExportColumn> ListColumns(string level) =>
    [
        new("排名", ExportKind.Integer, 8), new("支部编号", ExportKind.Text, 30), new("党支部名称", ExportKind.Text, 36),
        new("苏木乡镇（街道）", ExportKind.Text, 18), new("旗县区", ExportKind.Text, 14), new("得分", ExportKind.Score, 10),
        new("民族团结进步得分率", ExportKind.Share, 12), new(level, ExportKind.Text, 14), new("说明", ExportKind.Text, 40),
    ];

    async IAsyncEnumerable<ExportValue[]> ListRows(ReportScope scope, bool published, Dictionary<string, string> names,
        [EnumeratorCancellation] CancellationToken ct)
    {
        CampaignDefinition definition = scope.Campaign.Definition;
        await foreach (RankedBranch r in ratings.StreamAsync(definition.Id, published, scope.Unit,
            ["RowKey", "BranchName", "Score", "UnityShare", "Rank", "Level", "Reason"], ct))
            yield return
            [
                ExportValue.Of(r.Rank), ExportValue.Of(r.BranchId), ExportValue.Of(r.BranchName), Township(r.BranchId, names),
                County(r.BranchId, names), ExportValue.Of(r.Score), ExportValue.Of(r.UnityShare),
                ExportValue.Of(ExportLabels.Level(definition, r.Level)), ExportValue.Of(r.Reason),
            ];
    }

    // ---- A unit's evaluations (评定情况明细): one row per branch, with its level once a list exists (the proposed one
    // during the notice, the published one after it), joined as both tables are read in branch id order.

    static IReadOnlyList<ExportColumn> EvaluationColumns(CampaignRecord campaign) =>
    [
        new("支部编号", ExportKind.Text, 30), new("党支部名称", ExportKind.Text, 36),
        new("苏木乡镇（街道）", ExportKind.Text, 18), new("旗县区", ExportKind.Text, 14), new("阶段", ExportKind.Text, 16),
        new("是否逾期", ExportKind.Text, 9), new("评定结果", ExportKind.Text, 12), new("得分", ExportKind.Score, 10),
        new("民族团结进步得分率", ExportKind.Share, 12), new("等次", ExportKind.Text, 14),
        .. campaign.Definition.Appraisal is null ? Array.Empty<ExportColumn>() :
        [
            new("民主测评应投人数", ExportKind.Integer, 10), new("民主测评投票数", ExportKind.Integer, 10),
            new("民主测评参与率", ExportKind.Share, 10), new("民主测评是否有效", ExportKind.Text, 10),
        ],
    ];

    async IAsyncEnumerable<ExportValue[]> EvaluationRows(ReportScope scope, Dictionary<string, string> names,
        [EnumeratorCancellation] CancellationToken ct)
    {
        CampaignRecord campaign = scope.Campaign;
        CampaignDefinition definition = campaign.Definition;
        bool listed = campaign.Status is CampaignStatus.Publicity or CampaignStatus.Published, appraisal = definition.Appraisal is not null;
        DateTimeOffset now = clock.GetUtcNow();
        IAsyncEnumerator<RankedBranch>? list = listed
            ? ratings.StreamAsync(definition.Id, campaign.Status == CampaignStatus.Published, scope.Unit, ["RowKey", "Level"], ct)
                .GetAsyncEnumerator(ct)
            : null;
        try
        {
            bool more = list is not null && await list.MoveNextAsync();
            var rows = evaluations.Query(definition.Id, scope.Unit, null, pageSize: PageSize, select:
                ["RowKey", "BranchName", "Stage", "Overdue", "StageDeadline", "Outcome", "FinalScore", "UnityShare", "Appraisal"]);
            await foreach (var row in rows.WithCancellation(ct))
            {
                string branch = row.RowKey, stage = row.GetString("Stage") ?? Stages.AwaitingSelfAssessment;
                while (more && string.CompareOrdinal(list!.Current.BranchId, branch) < 0) more = await list.MoveNextAsync();
                string? level = more && list!.Current.BranchId == branch ? list.Current.Level : null;
                bool overdue = row.GetBoolean("Overdue") == true || (stage != Stages.Done && row.GetDateTimeOffset("StageDeadline") < now);
                AppraisalResult? counted = appraisal ? Json.Read<AppraisalResult>(row.GetString("Appraisal")) : null;
                ExportValue[] values =
                [
                    ExportValue.Of(branch), ExportValue.Of(row.GetString("BranchName") ?? branch), Township(branch, names),
                    County(branch, names), ExportValue.Of(ExportLabels.Stage(stage)), ExportValue.Of(overdue ? "是" : "否"),
                    ExportValue.Of(row.GetString("Outcome") is { } outcome ? ExportLabels.Outcome(outcome) : null),
                    ExportValue.Of(row.GetDouble("FinalScore") is double score ? (decimal)score : null),
                    ExportValue.Of(row.GetDouble("UnityShare") is double share ? (decimal)share : null),
                    ExportValue.Of(level is null ? null : ExportLabels.Level(definition, level)),
                    .. appraisal ?
                    [
                        counted is null ? default : ExportValue.Of(counted.Eligible),
                        counted is null ? default : ExportValue.Of(counted.Ballots),
                        counted is null ? default : ExportValue.Of(counted.Participation),
                        ExportValue.Of(counted is null ? null : counted.Valid ? "是" : "否"),
                    ] : Array.Empty<ExportValue>(),
                ];
                yield return values;
            }
        }
        finally
        {
            if (list is not null) await list.DisposeAsync();
        }
    }

    // ---- The statistics (统计): a row per child unit, then the unit's own total, as GET …/statistics has them.

    static IReadOnlyList<ExportColumn> StatisticsColumns(CampaignRecord campaign) =>
    [
        new("单位编号", ExportKind.Text, 26), new("单位名称", ExportKind.Text, 30), new("评定总数", ExportKind.Integer, 9),
        .. Stages.All.Select(s => new ExportColumn(ExportLabels.Stage(s), ExportKind.Integer, 10)),
        new("逾期", ExportKind.Integer, 7),
        .. UnitTally.OutcomeOrder.Select(o => new ExportColumn(ExportLabels.Outcome(o), ExportKind.Integer, 10)),
        .. LevelIds(campaign) is { } levels
            ? levels.Select(l => new ExportColumn(ExportLabels.Level(campaign.Definition, l), ExportKind.Integer, 10))
            : [],
        new("已评分数", ExportKind.Integer, 9), new("平均分", ExportKind.Score, 9),
        .. HistogramBins.Scores.Select((_, i) => new ExportColumn(ExportLabels.ScoreBin(HistogramBins.Scores, i), ExportKind.Integer, 10)),
        .. HistogramBins.UnityShares.Select((_, i) =>
            new ExportColumn(ExportLabels.ShareBin(HistogramBins.UnityShares, i), ExportKind.Integer, 12)),
        .. campaign.Definition.Appraisal is null ? Array.Empty<ExportColumn>() :
        [
            new("民主测评名单数", ExportKind.Integer, 10), new("民主测评应投人数", ExportKind.Integer, 10),
            new("民主测评投票数", ExportKind.Integer, 10), new("民主测评参与率", ExportKind.Share, 10),
            new("民主测评已计票", ExportKind.Integer, 10), new("民主测评有效", ExportKind.Integer, 10),
        ],
    ];

    /// <summary>The level ids counted once a list exists (as the statistics count them); none before.</summary>
    static IReadOnlyList<string>? LevelIds(CampaignRecord campaign) =>
        campaign.Status is CampaignStatus.Publicity or CampaignStatus.Published
            ? [.. campaign.Definition.Levels.Select(l => l.Id), Ranking.NoLevel, Ranking.Revoked]
            : null;

    async IAsyncEnumerable<ExportValue[]> StatisticsRows(ReportScope scope, [EnumeratorCancellation] CancellationToken ct)
    {
        var recent = await statistics.RecentAsync(scope.Campaign, ct);
        CampaignStatistics figures = recent.Value.For(scope, recent.AsOf, (int)StatisticsQueries.MaxAge.TotalSeconds);
        IReadOnlyList<string>? levels = LevelIds(scope.Campaign);
        foreach (UnitStatistics child in figures.Children) yield return StatisticsRow(child, child.Name, levels);
        yield return StatisticsRow(figures.Total, $"合计：{figures.Total.Name}", levels);
    }

    static ExportValue[] StatisticsRow(UnitStatistics s, string name, IReadOnlyList<string>? levels) =>
    [
        ExportValue.Of(s.Unit), ExportValue.Of(name), ExportValue.Of(s.Evaluations),
        .. Stages.All.Select(stage => ExportValue.Of(s.Stages[stage])),
        ExportValue.Of(s.Overdue),
        .. UnitTally.OutcomeOrder.Select(o => ExportValue.Of(s.Outcomes[o])),
        .. levels is null ? [] : levels.Select(l => ExportValue.Of(s.Levels?.GetValueOrDefault(l) ?? 0)),
        ExportValue.Of(s.Scored), ExportValue.Of(s.MeanScore),
        .. s.Scores.Select(b => ExportValue.Of(b.Count)),
        .. s.UnityShares.Select(b => ExportValue.Of(b.Count)),
        .. s.Appraisal is not { } a ? Array.Empty<ExportValue>() :
        [
            ExportValue.Of(a.Rosters), ExportValue.Of(a.Eligible), ExportValue.Of(a.Ballots), ExportValue.Of(a.Participation),
            ExportValue.Of(a.Counted), ExportValue.Of(a.Valid),
        ],
    ];

    static ExportValue Township(string branchId, Dictionary<string, string> names) =>
        Ancestor(branchId, UnitKinds.DepthOf(UnitKinds.Township), names);

    static ExportValue County(string branchId, Dictionary<string, string> names) =>
        Ancestor(branchId, UnitKinds.DepthOf(UnitKinds.County), names);

    /// <summary>The name of the branch's ancestor at <paramref name="depth"/> (its id when the tree has no name for it).</summary>
    static ExportValue Ancestor(string branchId, int depth, Dictionary<string, string> names)
    {
        if (UnitPath.Depth(branchId) <= depth) return default;
        string id = UnitPath.AncestorAt(branchId, depth);
        return ExportValue.Of(names.GetValueOrDefault(id, id));
    }
}

/// <summary>The Chinese words the exports show for the API's ids: stages, outcomes, levels, histogram bins.</summary>
public static class ExportLabels
{
    public static string Stage(string stage) => stage switch
    {
        Stages.AwaitingSelfAssessment => "待自评",
        Stages.AwaitingTownshipReview => "待苏木乡镇审核",
        Stages.AwaitingCountyScore => "待旗县区评分",
        Stages.AwaitingAppraisal => "待民主测评结束",
        Stages.Done => "已完成",
        _ => stage,
    };

    public static string Outcome(string outcome) => outcome switch
    {
        Outcomes.Scored => "已评分",
        Outcomes.NotSubmitted => "未提交自评",
        Outcomes.Rejected => "审核未通过",
        Outcomes.Vetoed => "一票否决",
        Outcomes.NotEvaluated => "未评定",
        _ => outcome,
    };

    /// <summary>A level's title as the campaign names it; 无等次 for none, 已撤销 for a revoked one.</summary>
    public static string Level(CampaignDefinition definition, string level) => level switch
    {
        Ranking.NoLevel => "无等次",
        Ranking.Revoked => "已撤销",
        _ => definition.Levels.FirstOrDefault(l => l.Id == level)?.Title ?? level,
    };

    /// <summary>A score bin's header: 得分80–90, and 得分90及以上 for the last (open above).</summary>
    public static string ScoreBin(IReadOnlyList<decimal> bounds, int i) => i + 1 < bounds.Count
        ? string.Create(CultureInfo.InvariantCulture, $"得分{bounds[i]:0}–{bounds[i + 1]:0}")
        : string.Create(CultureInfo.InvariantCulture, $"得分{bounds[i]:0}及以上");

    /// <summary>A unity-share bin's header: 得分率80%–90%, and 得分率90%及以上 for the last.</summary>
    public static string ShareBin(IReadOnlyList<decimal> bounds, int i) => i + 1 < bounds.Count
        ? string.Create(CultureInfo.InvariantCulture, $"得分率{bounds[i] * 100:0}%–{bounds[i + 1] * 100:0}%")
        : string.Create(CultureInfo.InvariantCulture, $"得分率{bounds[i] * 100:0}%及以上");
}
