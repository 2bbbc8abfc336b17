using System.Net;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;
using Microsoft.Playwright;

namespace Eval.FunctionalTests.Web;

/// <summary>
/// The organization department's pages in the browser: a campaign made in the editor and started, its progress on the
/// dashboard, the notice opened (forced past the unfinished), and the audit chains checked.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class DepartmentPagesTests(LocalHostFixture fixture, Browser browser) : IClassFixture<LocalHostFixture>
{
    Uri App => fixture.Host.BaseAddress;

    [Fact]
    public async Task A_campaign_is_made_in_the_editor_a_refusal_shows_on_its_field_and_it_is_started()
    {
        using var driver = new CampaignDriver(fixture.Host);
        TestCounty county = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 2);

        IPage page = await browser.OpenAsync(App, Browser.Desk);
        await WebSignIn.AsAsync(page, Roles.OrgDepartment, county.Id);
        await page.GotoAsync("campaigns/new");
        // The standard rules come filled in for the department's own unit.
        ILocator unit = page.Locator("[data-pointer='/unit'] input, input[data-pointer='/unit']").First;
        await Assertions.Expect(unit).ToHaveValueAsync(county.Id);
        string id = $"webed-{Guid.NewGuid():N}"[..14];
        await Field(page, "/id").FillAsync(id);
        await Field(page, "/rubric/criteria/0/maxPoints").FillAsync("0");
        await page.GetByTestId("create-campaign").ClickAsync();

        ILocator maxPoints = page.Locator(".mud-input-control", new() { Has = Field(page, "/rubric/criteria/0/maxPoints") });
        await Assertions.Expect(maxPoints).ToContainTextAsync("must be > 0");
        await Browser.KeepAndScanAsync(page, "department-editor-refused-desk");

        await Field(page, "/rubric/criteria/0/maxPoints").FillAsync("25");
        await page.GetByTestId("create-campaign").ClickAsync();
        await Assertions.Expect(page.GetByTestId("campaign-status")).ToHaveTextAsync("未开始");
        await page.GetByTestId("start").ClickAsync();
        await Assertions.Expect(page.GetByTestId("campaign-status")).ToHaveTextAsync("进行中", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("stage-counts")).ToContainTextAsync("待自评申报2");
    }

    [Fact]
    public async Task The_department_follows_progress_on_the_dashboard_opens_the_notice_and_checks_the_audit()
    {
        using var driver = new CampaignDriver(fixture.Host);
        TestCounty county = await driver.CreateCountyAsync(townships: 2, branchesPerTownship: 3);
        string campaign = await driver.CreateAndStartAsync(CampaignDriver.Campaign($"webdb-{Guid.NewGuid():N}"[..14], county.Id,
            selfAssessment: "P1D", townshipReview: "P1D", countyScoring: "P1D", publicity: "P1D"), county.Id, 6);
        await driver.SubmitAllAsync(campaign, county.Branches.Take(4), CampaignDriver.Scores(23, 23, 24, 25));
        // Two of them scored, so the histograms have something to show.
        foreach ((string b, int points) in county.Branches.Take(2).Zip([24, 21]))
        {
            await CampaignDriver.Expect(await driver.ReviewAsync(campaign, b, "approve"), HttpStatusCode.Accepted);
            await driver.WaitForStageAsync(campaign, b, Stages.AwaitingCountyScore);
            await CampaignDriver.Expect(await driver.ScoreAsync(campaign, b, CampaignDriver.Scores(points, points, points, points)),
                HttpStatusCode.Accepted);
            await driver.WaitForStageAsync(campaign, b, Stages.Done);
        }

        IPage page = await browser.OpenAsync(App, Browser.Desk);
        await WebSignIn.AsAsync(page, Roles.OrgDepartment, county.Id);
        await page.GotoAsync($"campaigns/{campaign}/dashboard");
        ILocator funnel = page.GetByTestId("funnel");
        await Assertions.Expect(funnel).ToContainTextAsync("待乡镇审核");
        await Assertions.Expect(page.Locator("[data-testid=by-unit] tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("figure.histogram")).ToHaveCountAsync(2);
        await Browser.KeepAndScanAsync(page, "department-dashboard-desk");

        // A township's row opens the same dashboard for that township, a row per branch.
        await page.Locator("[data-testid=by-unit] tbody tr").First.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=by-unit] tbody tr")).ToHaveCountAsync(3);

        // Before the notice, other rules are tried on the real scores: counts per level, the campaign's beside the tried.
        await page.GotoAsync($"campaigns/{campaign}/rehearsal");
        await Assertions.Expect(page.GetByTestId("rehearsal-result")).ToContainTextAsync("全部");
        await page.GetByTestId("rehearsal-level").First.GetByLabel("最低分").FillAsync("85");
        await page.GetByTestId("rehearsal-level").First.GetByLabel("名额比例").FillAsync("1");
        await page.GetByTestId("rehearse").ClickAsync();
        await Assertions.Expect(page.GetByTestId("rehearsal-result")).ToContainTextAsync("→");
        await Browser.KeepAndScanAsync(page, "department-rehearsal-desk");

        await page.GotoAsync($"campaigns/{campaign}");
        await page.GetByTestId("publish").ClickAsync();
        // Unfinished branches stop the notice until the department chooses to publish them as not evaluated.
        await Assertions.Expect(page.Locator("[role=alert]").First).ToContainTextAsync("当前状态下不能这样做");
        await page.GetByLabel("仍有支部未完成").CheckAsync();
        await page.GetByTestId("publish").ClickAsync();
        await Assertions.Expect(page.GetByTestId("campaign-status")).ToHaveTextAsync("公示中", new() { Timeout = 60_000 });

        await page.GetByTestId("verify-audit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("audit-result")).ToContainTextAsync("留痕完整");
        await Browser.KeepAndScanAsync(page, "department-campaign-desk");
    }

    static ILocator Field(IPage page, string pointer) =>
        page.Locator($"input[data-pointer='{pointer}'], [data-pointer='{pointer}'] input").First;
}
