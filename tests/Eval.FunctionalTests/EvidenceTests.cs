using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.FunctionalTests;

/// <summary>A host whose evidence limits a test can reach: upload SAS of 3 s, files of at most 64 KB, 3 files a round.</summary>
public sealed class EvidenceHostFixture : IAsyncLifetime
{
    public const long MaxFileBytes = 64 * 1024;
    public const long MaxBytesPerRound = 100_000;
    public string TablePrefix { get; } = "t" + Guid.NewGuid().ToString("N")[..8];
    public LocalHostProcess Host { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Host = await LocalHostProcess.StartAsync(AzuriteInstance.Shared.ConnectionString, LocalHostProcess.NewHubName(),
            settings: new Dictionary<string, string>
            {
                ["Storage__TablePrefix"] = TablePrefix,
                ["Evidence__UploadMinutes"] = "0.05",
                ["Evidence__MaxFileBytes"] = MaxFileBytes.ToString(),
                ["Evidence__MaxFilesPerRound"] = "3",
                ["Evidence__MaxBytesPerRound"] = MaxBytesPerRound.ToString(),
            });

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// Evidence files through the real path: a slot from the API, a PUT straight to Azurite's blob service with the SAS,
/// completion (checked, hashed, kept), a self-assessment citing the file, and a download through a read SAS.
/// </summary>
public sealed class EvidenceTests(EvidenceHostFixture fx) : IClassFixture<EvidenceHostFixture>, IDisposable
{
    static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
    readonly CampaignDriver driver = new(fx.Host);
    readonly HttpClient storage = new();
    readonly BlobServiceClient blobs = new(AzuriteInstance.Shared.ConnectionString);

    public void Dispose()
    {
        driver.Dispose();
        storage.Dispose();
    }

    static string NewId() => "ev-" + Guid.NewGuid().ToString("N")[..8];

    static CampaignDefinition RequiringUnityFiles(CampaignDefinition c) => c with
    {
        Rubric = c.Rubric with
        {
            Criteria = [.. c.Rubric.Criteria.Select(k => k.Id == "unity" ? k with { Evidence = new EvidenceRequirement(true, 1) } : k)],
        },
    };

    async Task<(string Campaign, TestCounty County)> StartAsync(string selfAssessment = "PT10M")
    {
        TestCounty county = await driver.CreateCountyAsync(2, 1);
        string campaign = await driver.CreateAndStartAsync(
            RequiringUnityFiles(CampaignDriver.Campaign(NewId(), county.Id, selfAssessment: selfAssessment)), county.Id, 2);
        return (campaign, county);
    }

    HttpClient Secretary(string branch) => driver.As(Roles.BranchSecretary, branch);

    static string Evidence(string campaign, string branch) => $"api/campaigns/{campaign}/evaluations/{branch}/evidence";

    Task<HttpResponseMessage> SlotAsync(string campaign, string branch, string fileName = "民族团结 签到表.pdf",
        string contentType = "application/pdf", long? size = null, string criterion = "unity") =>
        Secretary(branch).PostAsJsonAsync(Evidence(campaign, branch),
            new { criterion, title = "民族团结主题党日签到表", fileName, contentType, size = size ?? Pdf.Length });

    async Task<(string Id, Uri Upload)> OpenSlotAsync(string campaign, string branch, long? size = null, string fileName = "签到表.pdf")
    {
        using HttpResponseMessage slot = await SlotAsync(campaign, branch, fileName, size: size);
        await CampaignDriver.Expect(slot, HttpStatusCode.Created);
        JsonElement body = await slot.Content.ReadFromJsonAsync<JsonElement>();
        string id = body.GetProperty("evidenceId").GetString()!;
        Assert.Equal($"/api/campaigns/{campaign}/evaluations/{branch}/evidence/{id}", slot.Headers.Location?.OriginalString);
        return (id, new Uri(body.GetProperty("uploadUrl").GetString()!));
    }

    async Task<HttpResponseMessage> PutAsync(Uri upload, byte[] bytes, string contentType = "application/pdf")
    {
        using var put = new HttpRequestMessage(HttpMethod.Put, upload) { Content = new ByteArrayContent(bytes) };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        put.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await storage.SendAsync(put);
    }

    Task<HttpResponseMessage> CompleteAsync(string campaign, string branch, string id) =>
        Secretary(branch).PostAsync($"{Evidence(campaign, branch)}/{id}/complete", null);

    async Task<string> UploadAsync(string campaign, string branch, byte[]? bytes = null)
    {
        bytes ??= Pdf;
        var (id, upload) = await OpenSlotAsync(campaign, branch, bytes.Length);
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(upload, bytes)).StatusCode);
        using HttpResponseMessage done = await CompleteAsync(campaign, branch, id);
        await CampaignDriver.Expect(done, HttpStatusCode.OK);
        return id;
    }

    Task<HttpResponseMessage> SubmitCitingAsync(string campaign, string branch, params string[] evidenceIds) =>
        Secretary(branch).PostAsJsonAsync($"api/campaigns/{campaign}/evaluations/{branch}/self-assessment", new
        {
            scores = CampaignDriver.Scores(24, 23, 22, 25),
            summary = "全年开展民族团结主题党日12次。",
            evidence = evidenceIds.Select(id => (object)new { criterion = "unity", evidenceId = id })
                .Append(new { criterion = "political", title = "学习记录", url = "https://example.org/a.pdf" }),
        });

    bool UploadExists(string campaign, string branch, string id) =>
        blobs.GetBlobContainerClient(EvidenceContainers.Uploads).GetBlobClient($"{campaign}/{branch}/{id}").Exists().Value;

    Task<JsonElement> AuditAsync(string campaign, TestCounty county) =>
        driver.As(Roles.OrgDepartment, county.Id).GetFromJsonAsync<JsonElement>($"api/campaigns/{campaign}/audit/verify");

    static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string says)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        string text = await response.Content.ReadAsStringAsync();
        Assert.Contains(says, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_uploaded_completed_and_cited_is_downloaded_by_a_reviewer_byte_for_byte()
    {
        var (campaign, county) = await StartAsync();
        string branch = county.Branches[0];
        string id = await UploadAsync(campaign, branch);
        Assert.False(UploadExists(campaign, branch, id));

        await CampaignDriver.Expect(await SubmitCitingAsync(campaign, branch, id), HttpStatusCode.Accepted);
        JsonElement evaluation = await driver.WaitForStageAsync(campaign, branch, Stages.AwaitingTownshipReview);

        string sha256 = Convert.ToHexStringLower(SHA256.HashData(Pdf));
        JsonElement listed = Assert.Single(evaluation.GetProperty("evidence").EnumerateArray());
        Assert.Equal((id, "verified", "application/pdf", Pdf.Length, sha256), (listed.GetProperty("evidenceId").GetString(),
            listed.GetProperty("status").GetString(), listed.GetProperty("contentType").GetString(), listed.GetProperty("size").GetInt32(),
            listed.GetProperty("sha256").GetString()));
        JsonElement cited = evaluation.GetProperty("submission").GetProperty("assessment").GetProperty("evidence")[0];
        Assert.Equal(sha256, cited.GetProperty("file").GetProperty("sha256").GetString());
        Assert.Equal("民族团结主题党日签到表", cited.GetProperty("title").GetString());
        // The history, and so the audit chain, seals the file's hash.
        Assert.Contains($"{id} sha256:{sha256}", evaluation.GetProperty("history").EnumerateArray()
            .Single(h => h.GetProperty("action").GetString() == "self-assessment-submitted").GetProperty("detail").GetString());

        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fx.Host.BaseAddress };
        using HttpClient reviewer = driver.As(Roles.TownshipReviewer, CampaignDriver.TownshipOf(branch));
        using var get = new HttpRequestMessage(HttpMethod.Get, $"{Evidence(campaign, branch)}/{id}");
        get.Headers.Authorization = reviewer.DefaultRequestHeaders.Authorization;
        using HttpResponseMessage redirect = await noRedirects.SendAsync(get);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.True(redirect.Headers.CacheControl?.NoStore);
        Uri readUrl = redirect.Headers.Location!;
        var query = System.Web.HttpUtility.ParseQueryString(readUrl.Query);
        Assert.Equal("r", query["sp"]);
        Assert.InRange(DateTimeOffset.Parse(query["se"]!), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(5.1));

        using HttpResponseMessage file = await storage.GetAsync(readUrl);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal(Pdf, await file.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/pdf", file.Content.Headers.ContentType?.MediaType);
        Assert.Equal("签到表.pdf", file.Content.Headers.ContentDisposition?.FileNameStar);

        JsonElement audit = await AuditAsync(campaign, county);
        Assert.True(audit.GetProperty("intact").GetBoolean(), audit.ToString());
        Assert.Equal(1, audit.GetProperty("evidenceFiles").GetInt32());
    }

    [Fact]
    public async Task A_file_is_kept_under_the_type_and_name_the_slot_gives_whether_or_not_it_was_uploaded_with_them()
    {
        var (campaign, county) = await StartAsync();
        string branch = county.Branches[0];
        foreach (bool withSlotHeaders in new[] { true, false })
        {
            using HttpResponseMessage answer = await SlotAsync(campaign, branch);
            await CampaignDriver.Expect(answer, HttpStatusCode.Created);
            JsonElement slot = await answer.Content.ReadFromJsonAsync<JsonElement>();
            string id = slot.GetProperty("evidenceId").GetString()!;
            Dictionary<string, string> headers = slot.GetProperty("uploadHeaders").EnumerateObject()
                .ToDictionary(h => h.Name, h => h.Value.GetString()!);
            string disposition = headers["x-ms-blob-content-disposition"];
            Assert.Contains("filename*=utf-8''", disposition, StringComparison.OrdinalIgnoreCase);

            using var put = new HttpRequestMessage(HttpMethod.Put, slot.GetProperty("uploadUrl").GetString())
            {
                Content = new ByteArrayContent(Pdf),
            };
            foreach (var (name, value) in headers.Where(h => withSlotHeaders || h.Key != "x-ms-blob-content-disposition"))
                if (!put.Headers.TryAddWithoutValidation(name, value)) put.Content.Headers.TryAddWithoutValidation(name, value);
            Assert.Equal(HttpStatusCode.Created, (await storage.SendAsync(put)).StatusCode);
            await CampaignDriver.Expect(await CompleteAsync(campaign, branch, id), HttpStatusCode.OK);

            Azure.Storage.Blobs.Models.BlobProperties kept = (await blobs.GetBlobContainerClient(EvidenceContainers.Verified)
                .GetBlobClient($"{campaign}/{branch}/{id}").GetPropertiesAsync()).Value;
            Assert.Equal(("application/pdf", disposition), (kept.ContentType, kept.ContentDisposition));
        }
    }

    [Fact]
    public async Task A_file_that_is_not_what_it_says_is_refused_and_deleted_and_changes_nothing_else()
    {
        var (campaign, county) = await StartAsync();
        string branch = county.Branches[0];
        JsonElement before = await driver.EvaluationAsync(campaign, branch);

        // An HTML page named .pdf, sent as a PDF.
        byte[] html = Encoding.UTF8.GetBytes("<!doctype html><script>alert(1)</script>");
        var (htmlId, htmlUpload) = await OpenSlotAsync(campaign, branch, html.Length);
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(htmlUpload, html)).StatusCode);
        using HttpResponseMessage refused = await CompleteAsync(campaign, branch, htmlId);
        await AssertProblemAsync(refused, HttpStatusCode.UnprocessableEntity, "not a PDF file");
        Assert.False(UploadExists(campaign, branch, htmlId));

        // Larger than the limit, though declared small.
        byte[] big = new byte[EvidenceHostFixture.MaxFileBytes + 1];
        Pdf.CopyTo(big, 0);
        var (bigId, bigUpload) = await OpenSlotAsync(campaign, branch, 100);
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(bigUpload, big)).StatusCode);
        await AssertProblemAsync(await CompleteAsync(campaign, branch, bigId), HttpStatusCode.RequestEntityTooLarge, "at most 65536");
        Assert.False(UploadExists(campaign, branch, bigId));

        // Declared too large: no slot at all; an HTML type or a name that does not fit the type: 422.
        await AssertProblemAsync(await SlotAsync(campaign, branch, size: EvidenceHostFixture.MaxFileBytes + 1),
            HttpStatusCode.RequestEntityTooLarge, "at most 65536");
        await AssertProblemAsync(await SlotAsync(campaign, branch, "a.html", "text/html"), HttpStatusCode.UnprocessableEntity,
            "/contentType");
        await AssertProblemAsync(await SlotAsync(campaign, branch, "a.pdf.html"), HttpStatusCode.UnprocessableEntity, "/fileName");

        // A refused file cannot be cited, and the evaluation is as it was.
        await AssertProblemAsync(await SubmitCitingAsync(campaign, branch, htmlId), HttpStatusCode.UnprocessableEntity, "never completed");
        JsonElement after = await driver.EvaluationAsync(campaign, branch);
        Assert.Equal(before.GetProperty("history").ToString(), after.GetProperty("history").ToString());
        Assert.Equal(Stages.AwaitingSelfAssessment, after.GetProperty("stage").GetString());
        Assert.All(after.GetProperty("evidence").EnumerateArray(), e => Assert.Equal("refused", e.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task An_upload_URL_writes_only_its_own_blob_only_once_and_only_in_time()
    {
        var (campaign, county) = await StartAsync();
        string branch = county.Branches[0];
        var (id, upload) = await OpenSlotAsync(campaign, branch);

        // The same signature on another blob's name is refused by the storage service.
        var other = new UriBuilder(upload) { Path = upload.AbsolutePath.Replace(id, EvidenceIds.New(), StringComparison.Ordinal) };
        Assert.Equal(HttpStatusCode.Forbidden, (await PutAsync(other.Uri, Pdf)).StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await PutAsync(upload, Pdf)).StatusCode);
        // Create-only: the blob is not overwritten.
        Assert.NotEqual(HttpStatusCode.Created, (await PutAsync(upload, Encoding.ASCII.GetBytes("%PDF-other"))).StatusCode);

        // Expired: the fixture's SAS lives 3 s.
        var (lateId, lateUpload) = await OpenSlotAsync(campaign, branch);
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Equal(HttpStatusCode.Forbidden, (await PutAsync(lateUpload, Pdf)).StatusCode);
        await AssertProblemAsync(await CompleteAsync(campaign, branch, lateId), HttpStatusCode.Conflict, "No file has been uploaded");

        // The quota (3 a round) counts the slots still open: a fourth is refused.
        await CampaignDriver.Expect(await CompleteAsync(campaign, branch, id), HttpStatusCode.OK);
        await OpenSlotAsync(campaign, branch);
        await AssertProblemAsync(await SlotAsync(campaign, branch), HttpStatusCode.Conflict, "evidence-quota");
    }

    [Fact]
    public async Task A_rounds_quota_counts_bytes_as_well_as_files_and_each_branch_has_its_own()
    {
        var (campaign, county) = await StartAsync();
        string branch = county.Branches[0], neighbour = county.Branches[1];
        await OpenSlotAsync(campaign, branch, size: 60_000);

        await AssertProblemAsync(await SlotAsync(campaign, branch, size: 40_001), HttpStatusCode.Conflict,
            $"would pass its {EvidenceHostFixture.MaxBytesPerRound} bytes");
        await OpenSlotAsync(campaign, branch, size: 40_000);
        await OpenSlotAsync(campaign, neighbour, size: 60_000);
        JsonElement evaluation = await driver.EvaluationAsync(campaign, branch);
        Assert.Equal(2, evaluation.GetProperty("evidence").GetArrayLength());
    }

    [Fact]
    public async Task Only_those_over_the_branch_read_its_evidence_and_only_its_secretary_uploads()
    {
        var (campaign, county) = await StartAsync();
        string branch = county.Branches[0], neighbour = county.Branches[1];
        string id = await UploadAsync(campaign, branch);
        string path = $"{Evidence(campaign, branch)}/{id}";

        Assert.Equal(HttpStatusCode.Unauthorized, (await fx.Host.Http.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Secretary(neighbour).GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await driver.As(Roles.TownshipReviewer, CampaignDriver.TownshipOf(neighbour)).GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await driver.As(Roles.Member, branch).GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await Secretary(branch).GetAsync($"{Evidence(campaign, branch)}/{EvidenceIds.New()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Secretary(neighbour).GetAsync($"{Evidence(campaign, neighbour)}/{id}")).StatusCode);

        using HttpClient reviewer = driver.As(Roles.TownshipReviewer, CampaignDriver.TownshipOf(branch));
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.PostAsJsonAsync(Evidence(campaign, branch),
            new { criterion = "unity", title = "t", fileName = "a.pdf", contentType = "application/pdf", size = 10 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Secretary(neighbour).PostAsync($"{path}/complete", null)).StatusCode);
    }

    [Fact]
    public async Task A_submission_without_the_files_its_rubric_requires_or_citing_another_branchs_file_is_refused()
    {
        var (campaign, county) = await StartAsync();
        string branch = county.Branches[0], neighbour = county.Branches[1];
        string neighbours = await UploadAsync(campaign, neighbour);

        await AssertProblemAsync(await SubmitCitingAsync(campaign, branch), HttpStatusCode.UnprocessableEntity,
            "unity (民族团结进步) needs at least 1");
        await AssertProblemAsync(await SubmitCitingAsync(campaign, branch, neighbours), HttpStatusCode.UnprocessableEntity,
            $"No evidence {neighbours} of this branch");
        JsonElement after = await driver.EvaluationAsync(campaign, branch);
        Assert.Equal(Stages.AwaitingSelfAssessment, after.GetProperty("stage").GetString());
        Assert.Null(after.GetProperty("submission").ValueKind == JsonValueKind.Null ? null : "submitted");

        // The per-campaign schema says which criteria need files.
        JsonElement schema = await Secretary(branch).GetFromJsonAsync<JsonElement>($"api/campaigns/{campaign}/schemas/self-assessment");
        JsonElement evidence = schema.GetProperty("properties").GetProperty("evidence");
        Assert.Equal(1, evidence.GetProperty("x-required-files").GetProperty("unity").GetInt32());
    }

    [Fact]
    public async Task A_file_completed_after_the_deadline_is_refused_and_never_counts()
    {
        var (campaign, county) = await StartAsync(selfAssessment: "PT6S");
        string branch = county.Branches[0];
        var (id, upload) = await OpenSlotAsync(campaign, branch);
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(upload, Pdf)).StatusCode);

        await driver.WaitForStageAsync(campaign, branch, Stages.Done);
        await AssertProblemAsync(await CompleteAsync(campaign, branch, id), HttpStatusCode.Conflict, "no longer");
        Assert.False(UploadExists(campaign, branch, id));
        // Asked again, the refusal is the same one.
        await AssertProblemAsync(await CompleteAsync(campaign, branch, id), HttpStatusCode.Conflict, "evidence-too-late");
        await AssertProblemAsync(await SlotAsync(campaign, branch), HttpStatusCode.Conflict, "wrong-stage");
    }

    [Fact]
    public async Task A_file_changed_after_verification_is_not_served_and_breaks_the_audit()
    {
        var (campaign, county) = await StartAsync();
        string branch = county.Branches[0];
        string id = await UploadAsync(campaign, branch);
        await CampaignDriver.Expect(await SubmitCitingAsync(campaign, branch, id), HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, branch, Stages.AwaitingTownshipReview);

        // Someone with the account key rewrites the kept file (Azure's immutability policy forbids this; Azurite has none).
        BlobClient kept = blobs.GetBlobContainerClient(EvidenceContainers.Verified).GetBlobClient($"{campaign}/{branch}/{id}");
        await kept.UploadAsync(BinaryData.FromBytes(Encoding.ASCII.GetBytes("%PDF-1.7 forged")), overwrite: true);

        await AssertProblemAsync(await Secretary(branch).GetAsync($"{Evidence(campaign, branch)}/{id}"), HttpStatusCode.Conflict,
            "evidence-altered");
        JsonElement audit = await AuditAsync(campaign, county);
        Assert.False(audit.GetProperty("intact").GetBoolean());
        JsonElement broken = audit.GetProperty("firstBroken");
        Assert.Equal(branch, broken.GetProperty("chain").GetString());
        Assert.Contains($"evidence {id} was changed after it was verified", broken.GetProperty("problem").GetString());
    }
}
