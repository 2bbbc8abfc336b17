using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Word = DocumentFormat.OpenXml.Wordprocessing;
using Eval.Workflows.Domain;
using HeaderValue = Microsoft.Net.Http.Headers.ContentDispositionHeaderValue;

namespace Eval.UnitTests.Domain;

public class FileKindsTests
{
    [Fact]
    public void Tells_each_accepted_kind_by_its_bytes()
    {
        Assert.Same(FileKinds.Pdf, FileKinds.Detect(Encoding.ASCII.GetBytes("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj")));
        Assert.Same(FileKinds.Jpeg, FileKinds.Detect(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, (byte)'J', (byte)'F' }));
        Assert.Same(FileKinds.Png, FileKinds.Detect(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D }));
        Assert.Same(FileKinds.WebP, FileKinds.Detect(Encoding.ASCII.GetBytes("RIFF\u0024\0\0\0WEBPVP8 ")));
        Assert.Same(FileKinds.Docx, FileKinds.Detect(WordFile()));
        Assert.Same(FileKinds.Xlsx, FileKinds.Detect(ExcelFile()));
    }

    [Theory]
    [InlineData("<!DOCTYPE html><html><script>alert(1)</script></html>")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>")]
    [InlineData("#!/bin/sh\nrm -rf /")]
    [InlineData("  %PDF-1.7 (not at the start)")]
    [InlineData("")]
    public void Refuses_markup_scripts_and_anything_else(string text) => Assert.Null(FileKinds.Detect(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Refuses_a_zip_that_is_no_office_document_and_one_with_macros()
    {
        Assert.Null(FileKinds.Detect(Zip(("readme.txt", "hello"))));
        Assert.Null(FileKinds.Detect(
            Zip(("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w/>"), ("word/vbaProject.bin", "x"))));
        Assert.Null(FileKinds.Detect(Encoding.ASCII.GetBytes("PK\u0003\u0004 truncated")));
    }

    [Fact]
    public void Knows_kinds_by_media_type_and_extension()
    {
        Assert.Same(FileKinds.Pdf, FileKinds.ByContentType("Application/PDF; charset=binary"));
        Assert.Null(FileKinds.ByContentType("text/html"));
        Assert.Same(FileKinds.Jpeg, FileKinds.ByFileName("活动照片.JPEG"));
        Assert.Null(FileKinds.ByFileName("minutes.pdf.html"));
    }

    static byte[] WordFile()
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var paragraph = new Word.Paragraph(new Word.Run(new Word.Text("会议记录")));
            document.AddMainDocumentPart().Document = new Word.Document(new Word.Body(paragraph));
        }
        return stream.ToArray();
    }

    static byte[] ExcelFile()
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            WorkbookPart workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            WorksheetPart sheet = workbook.AddNewPart<WorksheetPart>();
            sheet.Worksheet = new Worksheet(new SheetData());
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheet), SheetId = 1, Name = "签到表" }));
        }
        return stream.ToArray();
    }

    static byte[] Zip(params (string Name, string Text)[] entries)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
            foreach ((string name, string text) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(text);
            }
        return stream.ToArray();
    }
}

public class FileNamesTests
{
    [Theory]
    [InlineData("C:\\Users\\书记\\Desktop\\主题党日记录.pdf", "主题党日记录.pdf")]
    [InlineData("../../etc/passwd.pdf", "passwd.pdf")]
    [InlineData("签到表\u202Efdp.exe", "签到表fdp.exe")]
    [InlineData("a\u0000b\r\nc<>:\"|?*.png", "abc_______.png")]
    [InlineData("  ..报告  终稿 .docx  ", "报告 终稿 .docx")]
    [InlineData("...", "file")]
    public void Sanitizes_names(string given, string expected) => Assert.Equal(expected, FileNames.Sanitize(given));

    [Fact]
    public void Keeps_the_extension_when_it_shortens_a_long_name()
    {
        string name = FileNames.Sanitize(new string('记', 300) + ".xlsx");
        Assert.Equal(FileNames.MaxLength, name.Length);
        Assert.EndsWith(".xlsx", name, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("民族团结进步创建材料.pdf")]
    [InlineData("minutes 2026 (final).pdf")]
    [InlineData("100%_完成 \"签到\".docx")]
    public void Content_disposition_carries_the_name_in_utf8_and_an_ascii_fallback(string fileName)
    {
        string header = FileNames.ContentDisposition(fileName);

        // Read back by ASP.NET Core's parser, not the System.Net.Http one that wrote it.
        HeaderValue parsed = HeaderValue.Parse(header);
        Assert.Equal("attachment", parsed.DispositionType.ToString());
        Assert.Equal(fileName, parsed.FileNameStar.ToString());
        string fallback = parsed.FileName.ToString().Trim('"');
        Assert.All(fallback, c => Assert.InRange(c, ' ', '~'));
        Assert.EndsWith(Path.GetExtension(fileName), fallback, StringComparison.Ordinal);
    }
}

public class EvidenceCitationsTests
{
    static readonly DateTimeOffset Deadline = new(2026, 12, 20, 16, 0, 0, TimeSpan.Zero);

    static readonly Rubric Rubric = new(
        [new("political", "政治引领", 50), new("unity", "民族团结进步", 50, Unity: true, Evidence: new EvidenceRequirement(true, 2))],
        1.5m, 0.8m, []);

    static EvidenceFile File(string id, string criterion = "unity", int round = 0, string status = EvidenceStatus.Verified,
        DateTimeOffset? uploadedAt = null) => new()
    {
        Id = id, CampaignId = "c", BranchId = "b", Round = round, Criterion = criterion, Title = "t", FileName = "f.pdf",
        DeclaredType = "application/pdf", DeclaredSize = 10, Status = status, UploadedBy = new Actor("u", "U", Roles.BranchSecretary),
        SlotExpiresAt = Deadline, ContentType = "application/pdf", Size = 10, Sha256 = new string('a', 64),
        UploadedAt = uploadedAt ?? Deadline.AddDays(-1),
    };

    static IReadOnlyList<Eval.Workflows.Schemas.FieldError> Check(IReadOnlyList<Evidence> cited, params EvidenceFile[] files) =>
        EvidenceCitations.Check(cited, files.ToDictionary(f => f.Id), Rubric, round: 0, Deadline);

    static Evidence Cite(string id, string criterion = "unity") => new(criterion, null, null, id);

    [Fact]
    public void Accepts_own_verified_files_in_time_enough_for_each_required_criterion() =>
        Assert.Empty(Check([Cite("ev-1"), Cite("ev-2"), new("political", "链接", "https://example.org/a")], File("ev-1"), File("ev-2")));

    [Fact]
    public void Names_the_criteria_that_lack_required_files()
    {
        var error = Assert.Single(Check([Cite("ev-1")], File("ev-1")));
        Assert.Equal("/evidence", error.Pointer);
        Assert.Contains("unity (民族团结进步) needs at least 2", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_what_may_not_be_cited()
    {
        var errors = Check(
            [Cite("ev-gone"), Cite("ev-pending"), Cite("ev-old"), Cite("ev-late"), Cite("ev-pol"), Cite("ev-ok"), Cite("ev-ok")],
            File("ev-pending", status: EvidenceStatus.Pending), File("ev-old", round: 1),
            File("ev-late", uploadedAt: Deadline.AddSeconds(1)),
            File("ev-pol", criterion: "political"), File("ev-ok"));

        (string Pointer, string Says)[] expected =
        [
            ("/evidence/0/evidenceId", "No evidence ev-gone"),
            ("/evidence/1/evidenceId", "never completed and verified"),
            ("/evidence/2/evidenceId", "uploaded in round 1, not this round (0)"),
            ("/evidence/3/evidenceId", "after the deadline"),
            ("/evidence/4/criterion", "uploaded for criterion political"),
            ("/evidence/6/evidenceId", "cited twice"),
            ("/evidence", "unity (民族团结进步) needs at least 2 evidence file(s); 1 cited"),
        ];
        Assert.Equal(expected.Select(e => e.Pointer), errors.Select(e => e.Pointer));
        Assert.All(expected.Zip(errors), pair => Assert.Contains(pair.First.Says, pair.Second.Detail, StringComparison.Ordinal));
    }
}
