using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests;

/// <summary>
/// GET …/statistics on a small campaign (every count per stage and per child unit, the histograms, at most ten seconds
/// old), and the exports (GET …/exports/…) read back with other libraries than the writers (ExcelJS for XLSX, csv-parse for
/// CSV: tests/readers), branches named like formulas coming out inert, the Content-Disposition parsed, and who may call.
/// </summary>
public sealed class StatisticsAndExportsTests(LocalHostFixture fx) : IClassFixture<LocalHostFixture>, IDisposable
{
    const string Title = "测试旗2026年度最强党支部评定";
    const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);

    readonly CampaignDriver driver = new(fx.Host);

    public void Dispose() => driver.Dispose();

    [Fact]
    public async Task Statistics_count_every_stage_per_child_unit_exactly_and_are_never_more_than_ten_seconds_old()
    {
        TestCounty county = await driver.CreateCountyAsync(townships: 2, branchesPerTownship: 3);
        IReadOnlyList<string> b = county.Branches;  // t01.b001–b003, t02.b001–b003
        string id = await driver.CreateAndStartAsync(
            CampaignDriver.Campaign("st-" + Guid.NewGuid().ToString("N")[..8], county.Id, "PT10M", "PT30S", "PT10M"), county.Id, 6);
        HttpClient org = driver.As(Roles.OrgDepartment, county.Id);

        Statistics first = await StatisticsAsync(org, id);
        Assert.Equal((6, 6), (first.Total.GetProperty("evaluations").GetInt32(), Stage(first.Total, Stages.AwaitingSelfAssessment)));
        Assert.Equal(10, first.Json.GetProperty("maxAgeSeconds").GetInt32());

        // A submission: not counted while the statistics are fresh (one computation serves every caller), counted within
        // ten seconds of its being recorded.
        await CampaignDriver.Expect(await driver.SubmitAsync(id, b[2], CampaignDriver.Scores(20, 20, 20, 20)), HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(id, b[2], Stages.AwaitingTownshipReview);
        DateTimeOffset recorded = DateTimeOffset.UtcNow;
        Statistics cached = await StatisticsAsync(org, id);
        if (cached.SentAt - first.ReceivedAt < TimeSpan.FromSeconds(4))
        {
            Assert.Equal(first.AsOf, cached.AsOf);
            Assert.Equal(6, Stage(cached.Total, Stages.AwaitingSelfAssessment));
        }
        Statistics counted = await UntilAsync(org, id, "", s => Stage(s.Total, Stages.AwaitingTownshipReview) == 1,
            "the submission to be counted");
        Assert.True(counted.ReceivedAt - recorded < MaxAge + TimeSpan.FromSeconds(2),
            $"counted {(counted.ReceivedAt - recorded).TotalSeconds:0.0} s after it was recorded");

        // t01.b001 scored 96 and t02.b001 80 (done), t01.b002 approved (county score), t01.b003 left in the township's
        // review past its 30 s (overdue), t02.b002 and b003 not submitted.
        foreach (int i in new[] { 0, 1, 3 })
            await CampaignDriver.Expect(await driver.SubmitAsync(id, b[i], CampaignDriver.Scores(24, 24, 24, 24)), HttpStatusCode.Accepted);
        foreach (int i in new[] { 0, 1, 3 })
        {
            await driver.WaitForStageAsync(id, b[i], Stages.AwaitingTownshipReview);
            await CampaignDriver.Expect(await driver.ReviewAsync(id, b[i], "approve"), HttpStatusCode.Accepted);
        }
        foreach (var (i, points) in new[] { (0, 24m), (3, 20m) })
        {
            await driver.WaitForStageAsync(id, b[i], Stages.AwaitingCountyScore);
            await CampaignDriver.Expect(await driver.ScoreAsync(id, b[i], CampaignDriver.Scores(points, points, points, points)),
                HttpStatusCode.Accepted);
        }
        await driver.WaitForStageAsync(id, b[1], Stages.AwaitingCountyScore);
        foreach (int i in new[] { 0, 3 }) await driver.WaitForStageAsync(id, b[i], Stages.Done);
        await driver.WaitForAsync(id, b[2], e => e.GetProperty("overdue").GetBoolean(), "to be overdue");

        Statistics s = await UntilAsync(org, id, "", s => s.Total.GetProperty("scored").GetInt32() == 2
            && s.Total.GetProperty("overdue").GetInt32() == 1, "every step to be counted");
        Assert.Equal((county.Id, "测试旗", "county"), (s.Json.GetProperty("unit").GetString(), Name(s.Total), Kind(s.Total)));
        AssertCounts(s.Total, evaluations: 6, self: 2, township: 1, countyScore: 1, done: 2, overdue: 1, scored: 2, mean: 88m);
        Assert.Equal(new[] { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1 }, Bins(s.Total, "scores"));
        Assert.Equal(new[] { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1 }, Bins(s.Total, "unityShares"));
        Assert.Equal(JsonValueKind.Null, s.Total.GetProperty("levels").ValueKind);
        Assert.Equal(JsonValueKind.Null, s.Total.GetProperty("appraisal").ValueKind);
        Assert.Equal(JsonValueKind.Null, s.Json.GetProperty("levelsFrom").ValueKind);
        JsonElement[] townships = [.. s.Json.GetProperty("children").EnumerateArray()];
        Assert.Equal([$"{county.Id}.t01", $"{county.Id}.t02"], townships.Select(t => t.GetProperty("unit").GetString()));
        Assert.Equal(["第1苏木", "第2苏木"], townships.Select(Name));
        AssertCounts(townships[0], evaluations: 3, self: 0, township: 1, countyScore: 1, done: 1, overdue: 1, scored: 1, mean: 96m);
        AssertCounts(townships[1], evaluations: 3, self: 2, township: 0, countyScore: 0, done: 1, overdue: 0, scored: 1, mean: 80m);
        Assert.Equal(new[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, Bins(townships[0], "scores"));
        Assert.Equal(new[] { 0, 0, 0, 0, 0, 0, 0, 0, 1, 0 }, Bins(townships[1], "unityShares"));
        JsonElement bin = s.Total.GetProperty("scores")[9];
        Assert.Equal((90m, JsonValueKind.Null), (bin.GetProperty("from").GetDecimal(), bin.GetProperty("to").ValueKind));

        // A township reviewer gets its own township by default: its children are its branches, by name.
        Statistics own = await StatisticsAsync(driver.As(Roles.TownshipReviewer, CampaignDriver.TownshipOf(b[0])), id);
        JsonElement[] branches = [.. own.Json.GetProperty("children").EnumerateArray()];
        Assert.Equal(b.Take(3), branches.Select(x => x.GetProperty("unit").GetString()));
        Assert.Equal(Enumerable.Range(1, 3).Select(i => $"第1苏木第{i}嘎查党支部"), branches.Select(Name));
        Assert.All(branches, x => Assert.Equal("branch", Kind(x)));
        Assert.Equal([Stages.Done, Stages.AwaitingCountyScore, Stages.AwaitingTownshipReview],
            branches.Select(x => Stages.All.Single(st => Stage(x, st) == 1)));
        Assert.Equal([0, 0, 1], branches.Select(x => x.GetProperty("overdue").GetInt32()));
        AssertCounts(own.Total, evaluations: 3, self: 0, township: 1, countyScore: 1, done: 1, overdue: 1, scored: 1, mean: 96m);

        // A branch's own row, and nothing below it.
        Statistics one = await StatisticsAsync(org, id, $"?unit={b[3]}");
        Assert.Equal(0, one.Json.GetProperty("children").GetArrayLength());
        AssertCounts(one.Total, evaluations: 1, self: 0, township: 0, countyScore: 0, done: 1, overdue: 0, scored: 1, mean: 80m);

        // Every answer is at most ten seconds old; and the ones refused.
        foreach (Statistics answer in new[] { first, cached, counted, s, own, one })
            Assert.True(answer.AsOf >= answer.SentAt - MaxAge - TimeSpan.FromMilliseconds(50),
                $"asOf {answer.AsOf:O} sent {answer.SentAt:O}");
        await ExpectProblemAsync(driver.As(Roles.OrgDepartment, "chifeng"), $"api/campaigns/{id}/statistics?unit=chifeng.zz", 422);
        await ExpectProblemAsync(org, $"api/campaigns/{id}/statistics?unit=Not.A.Unit", 422);
        await ExpectProblemAsync(org, $"api/campaigns/{id}/statistics?unit=chifeng", 403);
        await ExpectProblemAsync(driver.As(Roles.BranchSecretary, b[0]), $"api/campaigns/{id}/statistics", 403);
        await ExpectProblemAsync(driver.As(Roles.Member, b[0]), $"api/campaigns/{id}/statistics", 403);
        await ExpectProblemAsync(fx.Http, $"api/campaigns/{id}/statistics", 401);
        await ExpectProblemAsync(org, "api/campaigns/no-such-campaign/statistics", 404);
    }

    [Fact]
    public async Task Exports_read_back_by_other_libraries_keep_numbers_as_numbers_and_formulas_inert()
    {
        // Branches named like formulas (and one plainly), scored 96, 88, 80, 60 and 40: one 最强 place of five (⌊0.3 × 5⌋).
        string[] names = ["=HYPERLINK(\"http://evil.example\",\"点我\")", "+1", "@SUM(1,2)", "-2+3党支部", "第5嘎查党支部"];
        decimal[] points = [24, 22, 20, 15, 10];
        TestCounty county = await CountyNamedAsync(names);
        string township = CampaignDriver.TownshipOf(county.Branches[0]);
        string id = await driver.CreateAndStartAsync(
            CampaignDriver.Campaign("ex-" + Guid.NewGuid().ToString("N")[..8], county.Id, "PT10M", "PT10M", "PT10M", publicity: "PT40S"),
            county.Id, 5);
        await driver.ScoreAllAsync(id, county, i => [points[i], points[i], points[i], points[i]]);
        HttpClient org = driver.As(Roles.OrgDepartment, county.Id);
        await CampaignDriver.Expect(await org.PostAsJsonAsync($"api/campaigns/{id}/publication", new { }), HttpStatusCode.Accepted);
        await driver.RatingsAsync(id, "publicity");
        // Not published yet: 409.
        await ExpectProblemAsync(org, $"api/campaigns/{id}/exports/published", 409);

        string[] inert = ["'=HYPERLINK(\"http://evil.example\",\"点我\")", "'+1", "'@SUM(1,2)", "'-2+3党支部", "第5嘎查党支部"];
        decimal[] scores = [96, 88, 80, 60, 40], shares = [0.96m, 0.88m, 0.8m, 0.6m, 0.4m];
        string[] levels = ["最强党支部", "先进党支部", "先进党支部", "合格党支部", "无等次"];
        string[] listHeaders =
        [
            "排名", "支部编号", "党支部名称", "苏木乡镇（街道）", "旗县区", "得分", "民族团结进步得分率",
            "拟定等次", "说明",
        ];

        // The list under notice as XLSX, read by ExcelJS.
        using (Download notice = await DownloadAsync(org, $"api/campaigns/{id}/exports/notice"))
        {
            AssertFile(notice, XlsxType, $"{id}-notice.xlsx", $"{Title}公示名单.xlsx");
            JsonElement book = await ReadXlsxAsync(notice.Path);
            Assert.Equal(("公示名单", 1, 1, 0), (book.GetProperty("sheet").GetString(), book.GetProperty("sheets").GetInt32(),
                book.GetProperty("frozen").GetInt32(), book.GetProperty("formulas").GetArrayLength()));
            JsonElement[] rows = [.. book.GetProperty("rows").EnumerateArray()];
            Assert.Equal(6, rows.Length);
            Assert.Equal(listHeaders, Texts(rows[0]));
            for (int i = 0; i < 5; i++)
            {
                JsonElement[] r = [.. rows[i + 1].EnumerateArray()];
                Assert.Equal(JsonValueKind.Number, r[0].ValueKind);
                Assert.Equal((county.Branches[i], inert[i], "第1苏木", "测试旗"),
                    (r[1].GetString(), r[2].GetString(), r[3].GetString(), r[4].GetString()));
                Assert.Equal((scores[i], shares[i], levels[i]), (r[5].GetDecimal(), r[6].GetDecimal(), r[7].GetString()));
            }
            Assert.Equal([1, 2, 3, 4, 5], rows.Skip(1).Select(r => r[0].GetInt32()).Order());
            JsonElement formats = book.GetProperty("formats");
            Assert.Equal(("0.00", "0.00%"), (formats.GetProperty("F2").GetString(), formats.GetProperty("G2").GetString()));
        }

        // The same list as CSV, parsed by csv-parse: a byte order mark, CRLF, the same values as text.
        using (Download notice = await DownloadAsync(org, $"api/campaigns/{id}/exports/notice?format=csv"))
        {
            AssertFile(notice, "text/csv", $"{id}-notice.csv", $"{Title}公示名单.csv");
            Assert.Equal("utf-8", notice.Response.Content.Headers.ContentType?.CharSet);
            JsonElement csv = await ReadCsvAsync(notice.Path);
            Assert.True(csv.GetProperty("bom").GetBoolean() && csv.GetProperty("crlf").GetBoolean(), csv.ToString());
            JsonElement[] records = [.. csv.GetProperty("records").EnumerateArray()];
            Assert.Equal(6, records.Length);
            Assert.Equal(listHeaders, Texts(records[0]));
            Assert.Equal(inert, records.Skip(1).Select(r => r[2].GetString()));
            Assert.Equal(["96", "88", "80", "60", "40"], records.Skip(1).Select(r => r[5].GetString()));
            Assert.Equal(["0.96", "0.88", "0.8", "0.6", "0.4"], records.Skip(1).Select(r => r[6].GetString()));
        }

        // A township's evaluations, by its reviewer: stage, outcome, score and the proposed level, joined in branch order.
        using (Download evaluations = await DownloadAsync(driver.As(Roles.TownshipReviewer, township),
            $"api/campaigns/{id}/exports/evaluations"))
        {
            AssertFile(evaluations, XlsxType, $"{id}-evaluations-{township}.xlsx", $"{Title}评定情况明细（第1苏木）.xlsx");
            JsonElement book = await ReadXlsxAsync(evaluations.Path);
            JsonElement[] rows = [.. book.GetProperty("rows").EnumerateArray()];
            Assert.Equal(
                ["支部编号", "党支部名称", "苏木乡镇（街道）", "旗县区", "阶段", "是否逾期",
                    "评定结果", "得分", "民族团结进步得分率", "等次"],
                Texts(rows[0]));
            Assert.Equal(6, rows.Length);
            Assert.Equal(county.Branches, rows.Skip(1).Select(r => r[0].GetString()));
            Assert.Equal(inert, rows.Skip(1).Select(r => r[1].GetString()));
            Assert.All(rows.Skip(1),
                r => Assert.Equal(("已完成", "否", "已评分"), (r[4].GetString(), r[5].GetString(), r[6].GetString())));
            Assert.Equal(scores, rows.Skip(1).Select(r => r[7].GetDecimal()));
            Assert.Equal(levels, rows.Skip(1).Select(r => r[9].GetString()));
            Assert.Equal(0, book.GetProperty("formulas").GetArrayLength());
        }

        // The statistics as CSV: the township's row, then the county's total, levels counted from the proposed list.
        using (Download statistics = await DownloadAsync(org, $"api/campaigns/{id}/exports/statistics?format=csv"))
        {
            AssertFile(statistics, "text/csv", $"{id}-statistics.csv", $"{Title}统计.csv");
            JsonElement[] records = [.. (await ReadCsvAsync(statistics.Path)).GetProperty("records").EnumerateArray()];
            string[] headers = Texts(records[0]);
            Assert.Equal(3, records.Length);
            Assert.Equal([township, "第1苏木"], Texts(records[1]).Take(2));
            Assert.Equal([county.Id, "合计：测试旗"], Texts(records[2]).Take(2));
            string Cell(JsonElement record, string header) => record[Array.IndexOf(headers, header)].GetString()!;
            foreach (JsonElement record in records.Skip(1))
            {
                string[] Cells(params string[] named) => [.. named.Select(h => Cell(record, h))];
                Assert.Equal(["5", "5", "0", "5"], Cells("评定总数", "已完成", "待自评", "已评分"));
                Assert.Equal(["1", "2", "1", "1", "0"],
                    Cells("最强党支部", "先进党支部", "合格党支部", "无等次", "已撤销"));
                Assert.Equal(["72.8", "1", "2", "1", "1"],
                    Cells("平均分", "得分90及以上", "得分80–90", "得分60–70", "得分40–50"));
            }
        }

        // Then who may not, an unknown campaign and a format there is not.
        await ExpectProblemAsync(fx.Http, $"api/campaigns/{id}/exports/notice", 401);
        await ExpectProblemAsync(driver.As(Roles.BranchSecretary, county.Branches[0]), $"api/campaigns/{id}/exports/notice", 403);
        await ExpectProblemAsync(driver.As(Roles.Member, county.Branches[0]), $"api/campaigns/{id}/exports/evaluations", 403);
        await ExpectProblemAsync(org, "api/campaigns/no-such-campaign/exports/notice", 404);
        await ExpectProblemAsync(org, $"api/campaigns/{id}/exports/notice?format=pdf", 422);

        // Once published: the published list.
        await driver.RatingsAsync(id, "published", seconds: 120);
        using (Download published = await DownloadAsync(org, $"api/campaigns/{id}/exports/published"))
        {
            AssertFile(published, XlsxType, $"{id}-published.xlsx", $"{Title}评定结果名单.xlsx");
            JsonElement book = await ReadXlsxAsync(published.Path);
            Assert.Equal("评定结果", book.GetProperty("sheet").GetString());
            JsonElement[] rows = [.. book.GetProperty("rows").EnumerateArray()];
            Assert.Equal([.. listHeaders[..7], "等次", "说明"], Texts(rows[0]));
            Assert.Equal(levels, rows.Skip(1).Select(r => r[7].GetString()));
            Assert.Equal(inert, rows.Skip(1).Select(r => r[2].GetString()));
        }
    }

    // ---- Helpers.

    sealed record Statistics(JsonElement Json, DateTimeOffset SentAt, DateTimeOffset ReceivedAt)
    {
        public JsonElement Total => Json.GetProperty("total");
        public DateTimeOffset AsOf => Json.GetProperty("asOf").GetDateTimeOffset();
    }

    static async Task<Statistics> StatisticsAsync(HttpClient client, string id, string query = "")
    {
        DateTimeOffset sent = DateTimeOffset.UtcNow;
        using HttpResponseMessage r = await client.GetAsync($"api/campaigns/{id}/statistics{query}");
        await CampaignDriver.Expect(r, HttpStatusCode.OK);
        JsonElement json = await r.Content.ReadFromJsonAsync<JsonElement>();
        return new Statistics(json, sent, DateTimeOffset.UtcNow);
    }

    async Task<Statistics> UntilAsync(HttpClient client, string id, string query, Func<Statistics, bool> done, string what)
    {
        Statistics? last = null;
        return await Poll.UntilAsync(async () =>
        {
            last = await StatisticsAsync(client, id, query);
            return done(last) ? last : null;
        }, TimeSpan.FromSeconds(30), what, () => $"last: {last?.Json}\n{fx.Host.Output}");
    }

    static int Stage(JsonElement unit, string stage) => unit.GetProperty("stages").GetProperty(stage).GetInt32();
    static string? Name(JsonElement unit) => unit.GetProperty("name").GetString();
    static string? Kind(JsonElement unit) => unit.GetProperty("kind").GetString();
    static int[] Bins(JsonElement unit, string histogram) =>
        [.. unit.GetProperty(histogram).EnumerateArray().Select(b => b.GetProperty("count").GetInt32())];
    static string[] Texts(JsonElement row) => [.. row.EnumerateArray().Select(c => c.GetString()!)];

    static void AssertCounts(JsonElement unit, int evaluations, int self, int township, int countyScore, int done, int overdue, int scored,
        decimal mean)
    {
        Assert.Equal((evaluations, self, township, countyScore, 0, done),
            (unit.GetProperty("evaluations").GetInt32(), Stage(unit, Stages.AwaitingSelfAssessment),
                Stage(unit, Stages.AwaitingTownshipReview), Stage(unit, Stages.AwaitingCountyScore), Stage(unit, Stages.AwaitingAppraisal),
                Stage(unit, Stages.Done)));
        Assert.Equal((overdue, scored, scored, mean), (unit.GetProperty("overdue").GetInt32(), unit.GetProperty("scored").GetInt32(),
            unit.GetProperty("outcomes").GetProperty(Outcomes.Scored).GetInt32(), unit.GetProperty("meanScore").GetDecimal()));
    }

    /// <summary>A county of one township whose branches carry <paramref name="names"/>, in order.</summary>
    async Task<TestCounty> CountyNamedAsync(string[] names)
    {
        string county = "chifeng.x" + Guid.NewGuid().ToString("N")[..10], township = county + ".t01";
        string[] branches = [.. names.Select((_, i) => $"{township}.b{i + 1:000}")];
        object[] units =
        [
            new { id = "chifeng", name = "赤峰市", kind = "city" }, new { id = county, name = "测试旗", kind = "county" },
            new { id = township, name = "第1苏木", kind = "township" },
            .. branches.Select((id, i) => new { id, name = names[i], kind = "branch" }),
        ];
        using HttpResponseMessage put = await driver.As(Roles.OrgDepartment, "chifeng").PutAsJsonAsync("api/units", new { units });
        await CampaignDriver.Expect(put, HttpStatusCode.OK);
        return new TestCounty(county, branches);
    }

    sealed class Download(HttpResponseMessage response, string path) : IDisposable
    {
        public HttpResponseMessage Response { get; } = response;
        public string Path { get; } = path;

        public void Dispose()
        {
            Response.Dispose();
            File.Delete(Path);
        }
    }

    static async Task<Download> DownloadAsync(HttpClient client, string path)
    {
        HttpResponseMessage r = await client.GetAsync(path);
        await CampaignDriver.Expect(r, HttpStatusCode.OK);
        string file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "export-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(file, await r.Content.ReadAsByteArrayAsync());
        return new Download(r, file);
    }

    /// <summary>
    /// The media type, and the Content-Disposition as System.Net.Http parses it (not the library that wrote it): an
    /// attachment, the ASCII name, and the Chinese one from filename*=UTF-8''… (RFC 6266, RFC 5987). Never stored.
    /// </summary>
    static void AssertFile(Download download, string mediaType, string asciiName, string name)
    {
        HttpResponseMessage r = download.Response;
        Assert.Equal(mediaType, r.Content.Headers.ContentType?.MediaType);
        System.Net.Http.Headers.ContentDispositionHeaderValue disposition = r.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal(asciiName, disposition.FileName?.Trim('"'));
        Assert.Equal(name, disposition.FileNameStar);
        Assert.Contains("filename*=UTF-8''", string.Join(",", r.Content.Headers.GetValues("Content-Disposition")),
            StringComparison.Ordinal);
        Assert.Equal("no-store", r.Headers.CacheControl?.ToString());
    }

    static async Task<JsonElement> ReadXlsxAsync(string path)
    {
        NodeReaders.Run run = await NodeReaders.ReadXlsxAsync(path);
        Assert.True(run.ExitCode == 0, run.Error);
        return JsonDocument.Parse(run.Output).RootElement.Clone();
    }

    static async Task<JsonElement> ReadCsvAsync(string path)
    {
        NodeReaders.Run run = await NodeReaders.ReadCsvAsync(path);
        Assert.True(run.ExitCode == 0, run.Error);
        return JsonDocument.Parse(run.Output).RootElement.Clone();
    }

    static async Task ExpectProblemAsync(HttpClient client, string path, int status)
    {
        using HttpResponseMessage r = await client.GetAsync(path);
        string body = await r.Content.ReadAsStringAsync();
        Assert.True((int)r.StatusCode == status, $"GET {path} answered {(int)r.StatusCode}, expected {status}: {body}");
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
    }
}
