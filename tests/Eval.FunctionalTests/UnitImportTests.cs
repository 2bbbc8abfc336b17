using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests;

/// <summary>
/// POST /api/units/import on the real host: the tree from a CSV (UTF-8 with a BOM, Chinese headers) or an XLSX file
/// (written here with the Open XML SDK, read by the API with MiniExcel); a file with one bad row among good ones writes
/// nothing and names the row; the wrong media type, a file too large, units outside the caller's unit and unclean text are
/// refused.
/// </summary>
public sealed class UnitImportTests(LocalHostFixture fx) : IClassFixture<LocalHostFixture>, IDisposable
{
    const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    readonly CampaignDriver driver = new(fx.Host);

    public void Dispose() => driver.Dispose();

    static string NewCounty() => "chifeng.i" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task A_csv_with_chinese_headers_and_a_bom_imports_the_tree_with_parents_in_the_same_file()
    {
        string county = NewCounty();
        string csv = "单位编码,名称,上级编码,类型,分类\r\n" +
            "chifeng,赤峰市,,市,\r\n" +
            // Children before their parents: every row is read before any is checked against the tree.
            $"{county}.t01.b001,\"第1苏木第1嘎查党支部, 一\",{county}.t01,党支部,嘎查村\r\n" +
            $"{county},测试旗,chifeng,旗县区,\r\n" +
            $"{county}.t01,第1苏木,{county},township,\r\n" +
            ",,,,\r\n" +
            $"{county}.t01.b002,第1苏木第2社区党支部,,,community\r\n";
        using HttpResponseMessage r = await ImportAsync(driver.As(Roles.OrgDepartment, "chifeng"), [.. Encoding.UTF8.Preamble,
            .. Encoding.UTF8.GetBytes(csv)], "text/csv");
        await CampaignDriver.Expect(r, HttpStatusCode.OK);
        Assert.Equal(5, (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("upserted").GetInt32());

        JsonElement township = await UnitAsync($"{county}.t01");
        Assert.Equal("第1苏木", township.GetProperty("name").GetString());
        JsonElement[] children = [.. township.GetProperty("children").EnumerateArray()];
        Assert.Equal([$"{county}.t01.b001", $"{county}.t01.b002"], children.Select(c => c.GetProperty("id").GetString()));
        Assert.Equal("第1苏木第1嘎查党支部, 一", children[0].GetProperty("name").GetString());
        Assert.Equal(["village", "community"], children.Select(c => c.GetProperty("category").GetString()));
    }

    [Fact]
    public async Task An_xlsx_workbook_written_by_another_library_imports()
    {
        string county = NewCounty();
        byte[] xlsx = Workbook(
            ["id", "name", "parentId", "kind", "category"],
            ["chifeng", "赤峰市", null, "city", null],
            [county, "测试旗", "chifeng", "county", null],
            [$"{county}.t01", "第1苏木", county, "township", null],
            [$"{county}.t01.b001", "第1苏木第1学校党支部", $"{county}.t01", "branch", "学校"]);
        using HttpResponseMessage r = await ImportAsync(driver.As(Roles.OrgDepartment, "chifeng"), xlsx, Xlsx);
        await CampaignDriver.Expect(r, HttpStatusCode.OK);
        Assert.Equal(4, (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("upserted").GetInt32());
        JsonElement branch = await UnitAsync($"{county}.t01.b001");
        Assert.Equal(("第1苏木第1学校党支部", "branch", "school"), (branch.GetProperty("name").GetString(),
            branch.GetProperty("kind").GetString(), branch.GetProperty("category").GetString()));

        // Rows are numbered as the spreadsheet shows them, an empty row (which a workbook does not store) included.
        byte[] gap = Workbook(["单位编码", "名称"], [$"{county}.t02", "第2苏木"], [null, null], [$"{county}.T03", "第3苏木"]);
        JsonElement problem = await ExpectProblemAsync(await ImportAsync(driver.As(Roles.OrgDepartment, "chifeng"), gap, Xlsx), 422);
        Assert.Equal("/rows/4/id", Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("pointer").GetString());
    }

    [Fact]
    public async Task One_bad_row_among_good_ones_writes_nothing_and_each_error_names_its_row_and_column()
    {
        string county = NewCounty();
        string csv = "id,name,parentId,kind,category\n" +
            $"{county},测试旗,chifeng,county,\n" +
            $"{county}.t01,第1苏木,{county},township,\n" +
            $"{county}.t01.b001,第1嘎查党支部,{county}.t02,branch,village\n" +     // row 4: the wrong parent
            $"{county}.t01.b002,第2嘎查党支部,{county}.t01,township,\n" +          // row 5: a branch said to be a township
            $"{county}.t01.B003,第3嘎查党支部,,branch,\n" +                         // row 6: not a unit id
            $"{county}.t01.b004,第4嘎查党支部,,branch,farm\n" +                     // row 7: no such category
            $"{county}.t01.b005,\"第5\u202e党支部\",,branch,\n" +                    // row 8: a bidirectional control
            $"{county}.t01.b006,,,branch,\n";                                       // row 9: no name
        JsonElement problem = await ExpectProblemAsync(await ImportAsync(driver.As(Roles.OrgDepartment, "chifeng"),
            Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8"), 422);
        Assert.Equal(["/rows/4/parentId", "/rows/6/id", "/rows/7/category", "/rows/8/name", "/rows/9/name"],
            problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("pointer").GetString()).Order(StringComparer.Ordinal));
        Assert.Contains($"{county}.t01", problem.GetProperty("errors")[0].GetProperty("detail").GetString());
        await AssertMissingAsync(county);

        // Fixed but for the kind: the rule on kinds is the PUT's, at the row's kind.
        string almost = "id,name,parentId,kind\n" + $"{county},测试旗,chifeng,county\n" +
            $"{county}.t01,第1苏木,{county},township\n" + $"{county}.t01.b002,第2嘎查党支部,{county}.t01,township\n";
        problem = await ExpectProblemAsync(await ImportAsync(driver.As(Roles.OrgDepartment, "chifeng"),
            Encoding.UTF8.GetBytes(almost), "text/csv"), 422);
        Assert.Equal("/rows/4/kind", Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("pointer").GetString());
        // A parent that neither exists nor comes in the file.
        problem = await ExpectProblemAsync(await ImportAsync(driver.As(Roles.OrgDepartment, "chifeng"),
            Encoding.UTF8.GetBytes($"编码,名称\n{county}.t09.b001,孤立党支部\n"), "text/csv"), 422);
        Assert.Equal("/rows/2/parentId", Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("pointer").GetString());
        // A column the import does not know, and no name column.
        problem = await ExpectProblemAsync(await ImportAsync(driver.As(Roles.OrgDepartment, "chifeng"),
            Encoding.UTF8.GetBytes($"编码,负责人\n{county},张三\n"), "text/csv"), 422);
        Assert.Equal(["/rows/1", "/rows/1/2"],
            problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("pointer").GetString()).Order(StringComparer.Ordinal));
        await AssertMissingAsync(county);
    }

    [Fact]
    public async Task Wrong_media_types_files_too_large_text_not_utf8_and_units_out_of_scope_are_refused()
    {
        string county = NewCounty();
        HttpClient org = driver.As(Roles.OrgDepartment, "chifeng");
        byte[] csv = Encoding.UTF8.GetBytes($"id,name\n{county},测试旗\n");
        await ExpectProblemAsync(await ImportAsync(org, csv, "application/json"), 415);
        await ExpectProblemAsync(await ImportAsync(org, csv, "text/plain"), 415);
        await ExpectProblemAsync(await ImportAsync(org, csv, "text/csv; charset=gbk"), 415);
        await ExpectProblemAsync(await ImportAsync(org, new byte[4 * 1024 * 1024 + 1], "text/csv"), 413);
        // GBK bytes (测试旗) are not UTF-8: refused, not garbled.
        byte[] gbk = [.. Encoding.ASCII.GetBytes($"id,name\n{county},"), 0xB2, 0xE2, 0xCA, 0xD4, 0xC6, 0xEC, (byte)'\n'];
        await ExpectProblemAsync(await ImportAsync(org, gbk, "text/csv"), 422);
        await ExpectProblemAsync(await ImportAsync(org, Encoding.UTF8.GetBytes("not a zip"), Xlsx), 422);
        // Outside the caller's unit: the department of another county, and roles that do not maintain units.
        await ExpectProblemAsync(await ImportAsync(driver.As(Roles.OrgDepartment, "chifeng.elsewhere"), csv, "text/csv"), 403);
        await ExpectProblemAsync(await ImportAsync(driver.As(Roles.CountyScorer, "chifeng"), csv, "text/csv"), 403);
        using HttpResponseMessage anonymous = await fx.Http.PostAsync("api/units/import",
            new ByteArrayContent(csv) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        await AssertMissingAsync(county);
    }

    static async Task<HttpResponseMessage> ImportAsync(HttpClient client, byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await client.PostAsync("api/units/import", content);
    }

    async Task<JsonElement> UnitAsync(string id) =>
        await driver.As(Roles.OrgDepartment, "chifeng").GetFromJsonAsync<JsonElement>($"api/units/{id}");

    async Task AssertMissingAsync(string county)
    {
        using HttpResponseMessage r = await driver.As(Roles.OrgDepartment, "chifeng").GetAsync($"api/units/{county}");
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
    }

    static async Task<JsonElement> ExpectProblemAsync(HttpResponseMessage r, int status)
    {
        using (r)
        {
            string body = await r.Content.ReadAsStringAsync();
            Assert.True((int)r.StatusCode == status, $"expected {status}, got {(int)r.StatusCode}: {body}");
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            return JsonDocument.Parse(body).RootElement.Clone();
        }
    }

    /// <summary>A workbook of one sheet, the first row the header, with the Open XML SDK (shared strings for the text).</summary>
    static byte[] Workbook(params string?[][] rows)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            WorkbookPart workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var strings = workbook.AddNewPart<SharedStringTablePart>();
            strings.SharedStringTable = new SharedStringTable();
            var data = new SheetData();
            for (int r = 0; r < rows.Length; r++)
            {
                if (rows[r].All(c => c is null)) continue;
                var row = new Row { RowIndex = (uint)(r + 1) };
                for (int c = 0; c < rows[r].Length; c++)
                {
                    if (rows[r][c] is not { } text) continue;
                    strings.SharedStringTable.AppendChild(new SharedStringItem(new Text(text)));
                    row.AppendChild(new Cell
                    {
                        CellReference = $"{(char)('A' + c)}{r + 1}", DataType = CellValues.SharedString,
                        CellValue = new CellValue(strings.SharedStringTable.ChildElements.Count - 1),
                    });
                }
                data.AppendChild(row);
            }
            WorksheetPart sheet = workbook.AddNewPart<WorksheetPart>();
            sheet.Worksheet = new Worksheet(data);
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheet), SheetId = 1, Name = "单位" }));
        }
        return stream.ToArray();
    }
}
