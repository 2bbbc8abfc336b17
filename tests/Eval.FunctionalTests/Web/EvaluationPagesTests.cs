using System.Net;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;
using Microsoft.Playwright;

namespace Eval.FunctionalTests.Web;

/// <summary>
/// The evaluation's steps in the browser, each as its person takes it: the secretary's self-assessment with its files on a
/// phone, the township's return and the resubmission, approval of many at once after a preview, and the county's score.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class EvaluationPagesTests(LocalHostFixture fixture, Browser browser) : IClassFixture<LocalHostFixture>
{
    Uri App => fixture.Host.BaseAddress;

    [Fact]
    public async Task A_secretary_fills_in_the_self_assessment_on_a_phone_with_files_and_sends_it()
    {
        using var driver = new CampaignDriver(fixture.Host);
        (string campaign, TestCounty county) = await StartAsync(driver, "websa", branches: 1);
        string branch = county.Branches[0];

        IPage page = await browser.OpenAsync(App, Browser.Phone);
        await WebSignIn.AsAsync(page, Roles.BranchSecretary, branch);
        await page.Locator("[data-testid=inbox] tbody tr").First.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.GetByTestId("self-assessment-form")).ToBeVisibleAsync();

        await page.GetByLabel("政治引领（满分 25）").FillAsync("23");
        await page.GetByLabel("组织引领（满分 25）").FillAsync("22.5");
        await page.GetByLabel("服务引领（满分 25）").FillAsync("24");
        await page.GetByLabel("民族团结进步（满分 25）").FillAsync("25");
        await page.GetByLabel("年度工作总结").FillAsync("全年开展民族团结主题党日12次。");
        await Assertions.Expect(page.GetByTestId("live-total")).ToContainTextAsync("合计 94.5 / 100 分");

        // The files go to storage from the page; each is checked by the API and then listed under its criterion.
        await page.Locator("#file-unity").SetInputFilesAsync(
            new FilePayload { Name = "民族团结签到表.png", MimeType = "image/png", Buffer = EvidenceSamples.Png });
        ILocator unity = page.GetByTestId("criterion-unity");
        await Assertions.Expect(unity.GetByTestId("evidence-file")).ToContainTextAsync("民族团结签到表");
        await page.Locator("#file-political").SetInputFilesAsync(
            new FilePayload { Name = "党课记录.pdf", MimeType = "application/pdf", Buffer = EvidenceSamples.Pdf });
        await Assertions.Expect(page.GetByTestId("criterion-political").GetByTestId("evidence-file")).ToContainTextAsync("党课记录");

        // The image is shown in the page, read through the API's redirect to storage.
        await unity.GetByRole(AriaRole.Button, new() { Name = "查看" }).ClickAsync();
        ILocator image = unity.Locator("img.evidence-image");
        await Assertions.Expect(image).ToBeVisibleAsync();
        Assert.Equal(1, await image.EvaluateAsync<int>("img => img.naturalWidth"));
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        await Browser.KeepAndScanAsync(page, "secretary-self-assessment-phone");

        await page.GetByRole(AriaRole.Button, new() { Name = "提交自评" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("stage")).ToContainTextAsync("待乡镇审核", new() { Timeout = 30_000 });

        // What the API holds is what the page sent: the points, and both files cited under their criteria.
        var evaluation = await driver.EvaluationAsync(campaign, branch);
        var assessment = evaluation.GetProperty("submission").GetProperty("assessment");
        Assert.Equal(22.5m, assessment.GetProperty("scores").GetProperty("organization").GetDecimal());
        Assert.Equal(["political", "unity"], assessment.GetProperty("evidence").EnumerateArray()
            .Select(e => e.GetProperty("criterion").GetString()!).Order());
        await Assertions.Expect(page.GetByTestId("timeline")).ToContainTextAsync("提交自评");
        await Browser.KeepAndScanAsync(page, "secretary-submitted-phone");
    }

    [Fact]
    public async Task A_reviewer_returns_a_self_assessment_with_a_comment_and_the_secretary_sends_it_again()
    {
        using var driver = new CampaignDriver(fixture.Host);
        (string campaign, TestCounty county) = await StartAsync(driver, "webrt", branches: 1);
        string branch = county.Branches[0];
        await driver.SubmitAllAsync(campaign, [branch], CampaignDriver.Scores(20, 20, 20, 20));

        IPage reviewer = await browser.OpenAsync(App, Browser.Desk);
        await WebSignIn.AsAsync(reviewer, Roles.TownshipReviewer, CampaignDriver.TownshipOf(branch));
        await reviewer.GotoAsync($"campaigns/{campaign}/evaluations/{branch}");
        await Assertions.Expect(reviewer.GetByTestId("submission")).ToContainTextAsync("80");
        await reviewer.GetByText("退回修改", new() { Exact = true }).ClickAsync();
        await reviewer.GetByRole(AriaRole.Button, new() { Name = "确认退回" }).ClickAsync();
        // A return without a reason is refused beside the comment, and nothing is sent.
        ILocator comment = reviewer.Locator(".mud-input-control", new() { Has = reviewer.Locator("#review-comment") });
        await Assertions.Expect(comment).ToContainTextAsync("须说明原因");
        await reviewer.Locator("#review-comment").FillAsync("请补充民族团结进步创建的签到表。");
        await Browser.KeepAndScanAsync(reviewer, "reviewer-return-desk");
        await reviewer.GetByRole(AriaRole.Button, new() { Name = "确认退回" }).ClickAsync();
        await Assertions.Expect(reviewer.GetByTestId("stage")).ToContainTextAsync("待自评申报", new() { Timeout = 30_000 });

        IPage secretary = await browser.OpenAsync(App, Browser.Phone);
        await WebSignIn.AsAsync(secretary, Roles.BranchSecretary, branch);
        await secretary.GotoAsync($"campaigns/{campaign}/evaluations/{branch}");
        await Assertions.Expect(secretary.GetByTestId("returned")).ToContainTextAsync("请补充民族团结进步创建的签到表。");
        // The form starts from what was sent before.
        await Assertions.Expect(secretary.GetByLabel("政治引领（满分 25）")).ToHaveValueAsync("20");
        await secretary.GetByLabel("民族团结进步（满分 25）").FillAsync("24");
        await Browser.KeepAndScanAsync(secretary, "secretary-returned-phone");
        await secretary.GetByRole(AriaRole.Button, new() { Name = "提交自评" }).ClickAsync();
        await Assertions.Expect(secretary.GetByTestId("stage")).ToContainTextAsync("待乡镇审核", new() { Timeout = 30_000 });

        var evaluation = await driver.EvaluationAsync(campaign, branch);
        Assert.Equal(1, evaluation.GetProperty("round").GetInt32());
        Assert.Equal(24m,
            evaluation.GetProperty("submission").GetProperty("assessment").GetProperty("scores").GetProperty("unity").GetDecimal());
    }

    [Fact]
    public async Task A_reviewer_approves_many_at_once_after_a_preview_of_what_will_be_approved()
    {
        using var driver = new CampaignDriver(fixture.Host);
        (string campaign, TestCounty county) = await StartAsync(driver, "webbk", branches: 3);
        await driver.SubmitAllAsync(campaign, county.Branches, CampaignDriver.Scores(22, 22, 22, 22));

        IPage page = await browser.OpenAsync(App, Browser.Desk);
        await WebSignIn.AsAsync(page, Roles.TownshipReviewer, CampaignDriver.TownshipOf(county.Branches[0]));
        await page.GotoAsync($"campaigns/{campaign}/queue");
        await Assertions.Expect(page.Locator("[data-testid=queue] tbody tr")).ToHaveCountAsync(3);
        await page.GetByLabel("全选").CheckAsync();
        await page.GetByTestId("bulk-approve").ClickAsync();
        ILocator preview = page.GetByTestId("bulk-preview");
        await Assertions.Expect(preview.Locator("tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(preview.Locator("tbody tr").First).ToContainTextAsync("88");
        await Browser.KeepAndScanAsync(page, "reviewer-bulk-preview-desk");
        await page.GetByTestId("bulk-confirm").ClickAsync();
        await Assertions.Expect(preview.GetByText("已通过")).ToHaveCountAsync(3);

        foreach (string b in county.Branches) await driver.WaitForStageAsync(campaign, b, Stages.AwaitingCountyScore);
    }

    [Fact]
    public async Task A_county_scorer_scores_with_a_deduction_and_an_API_refusal_lands_on_its_field()
    {
        using var driver = new CampaignDriver(fixture.Host);
        (string campaign, TestCounty county) = await StartAsync(driver, "websc", branches: 1);
        string branch = county.Branches[0];
        await driver.SubmitAllAsync(campaign, [branch], CampaignDriver.Scores(24, 24, 24, 24));
        await CampaignDriver.Expect(await driver.ReviewAsync(campaign, branch, "approve"), HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, branch, Stages.AwaitingCountyScore);

        IPage page = await browser.OpenAsync(App, Browser.Desk);
        await WebSignIn.AsAsync(page, Roles.CountyScorer, county.Id);
        await page.GotoAsync($"campaigns/{campaign}/evaluations/{branch}");
        await Assertions.Expect(page.GetByTestId("panel")).ToContainTextAsync("0 / 1");
        foreach (string criterion in new[] { "political", "organization", "service", "unity" })
            await page.Locator($"#score-{criterion}").FillAsync("23");
        ILocator absent = page.GetByTestId("deduction-absent");
        await absent.GetByRole(AriaRole.Spinbutton).FillAsync("2");
        // A reason of spaces passes the page and is refused by the API (a reason must say something), beside the field.
        await absent.GetByLabel("原因").FillAsync("   ");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交评分" }).ClickAsync();
        await Assertions.Expect(absent.Locator(".mud-input-helper-text.mud-input-error")).Not.ToBeEmptyAsync();
        await Browser.KeepAndScanAsync(page, "scorer-refused-desk");

        await absent.GetByLabel("原因").FillAsync("2人次无故缺席组织生活");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交评分" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("stage")).ToContainTextAsync("已完成", new() { Timeout = 30_000 });
        var evaluation = await driver.EvaluationAsync(campaign, branch);
        var deduction = Assert.Single(evaluation.GetProperty("scores")[0].GetProperty("score").GetProperty("deductions").EnumerateArray());
        Assert.Equal(2, deduction.GetProperty("occurrences").GetInt32());
        await Browser.KeepAndScanAsync(page, "scorer-done-desk");
    }

    /// <summary>A campaign over a new county of one township, its steps long enough for people at a browser.</summary>
    static async Task<(string Campaign, TestCounty County)> StartAsync(CampaignDriver driver, string prefix, int branches)
    {
        TestCounty county = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: branches);
        string campaign = await driver.CreateAndStartAsync(CampaignDriver.Campaign($"{prefix}-{Guid.NewGuid():N}"[..14], county.Id,
            selfAssessment: "P1D", townshipReview: "P1D", countyScoring: "P1D"), county.Id, branches);
        return (campaign, county);
    }
}
