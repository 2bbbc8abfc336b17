using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;
using Microsoft.Playwright;

namespace Eval.FunctionalTests.Web;

/// <summary>
/// A title changed through the year (动态管理) in the browser: the county scorer proposes its revocation with a file, the
/// department approves it at once, and the plaque's page then says so to anyone.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class HonourChangePagesTests(LocalHostFixture fixture, Browser browser) : IClassFixture<LocalHostFixture>
{
    Uri App => fixture.Host.BaseAddress;

    [Fact]
    public async Task A_scorer_proposes_a_revocation_the_department_approves_it_and_the_plaque_says_so()
    {
        using var driver = new CampaignDriver(fixture.Host);
        TestCounty county = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 2);
        string campaign = await driver.CreateAndStartAsync(
            CampaignDriver.Campaign($"webhc-{Guid.NewGuid():N}"[..14], county.Id, publicity: "PT2S"), county.Id, 2);
        await driver.ToNoticeAsync(campaign, county);
        await driver.RatingsAsync(campaign, "published");
        string branch = county.Branches[0];

        IPage scorer = await browser.OpenAsync(App, Browser.Desk);
        await WebSignIn.AsAsync(scorer, Roles.CountyScorer, county.Id);
        await scorer.GotoAsync("honours");
        ILocator row = scorer.Locator("[data-testid=register] tbody tr", new() { HasText = "第1嘎查" });
        await row.GetByRole(AriaRole.Link, new() { Name = "动态调整" }).ClickAsync();
        await scorer.GetByLabel("原因类别").ClickAsync();
        await scorer.GetByRole(AriaRole.Option, new() { Name = "软弱涣散" }).ClickAsync();
        await scorer.Locator("#change-description").FillAsync("支部班子长期不开展组织生活。");
        await scorer.Locator("#file-change").SetInputFilesAsync(
            new FilePayload { Name = "督查通报.pdf", MimeType = "application/pdf", Buffer = EvidenceSamples.Pdf });
        await Assertions.Expect(scorer.GetByTestId("evidence-file")).ToContainTextAsync("督查通报");
        await Browser.KeepAndScanAsync(scorer, "scorer-honour-change-desk");
        await scorer.GetByTestId("propose").ClickAsync();
        await Assertions.Expect(scorer.GetByTestId("change")).ToContainTextAsync("待决定", new() { Timeout = 30_000 });

        IPage department = await browser.OpenAsync(App, Browser.Desk);
        await WebSignIn.AsAsync(department, Roles.OrgDepartment, county.Id);
        await department.GotoAsync($"honours/{campaign}/{branch}/changes");
        await department.GetByText("批准", new() { Exact = true }).ClickAsync();
        await department.GetByLabel("先行公示").UncheckAsync();
        await department.GetByLabel("处理意见").FillAsync("经核实，撤销其荣誉。");
        await department.GetByRole(AriaRole.Button, new() { Name = "提交决定" }).ClickAsync();
        // The decision is taken in once the page no longer offers it; the change's workflow then applies it.
        await Assertions.Expect(department.GetByTestId("change-decision")).ToHaveCountAsync(0, new() { Timeout = 30_000 });

        await Poll.UntilAsync(async () =>
        {
            await department.ReloadAsync();
            return await department.GetByTestId("change").TextContentAsync() is { } text && text.Contains("已生效") ? "applied" : null;
        }, TimeSpan.FromSeconds(60), "the revocation to be applied", () => fixture.Host.Output);

        IPage anyone = await browser.OpenAsync(App, Browser.Phone);
        await anyone.GotoAsync($"public/honours/{campaign}/{branch}");
        await Assertions.Expect(anyone.GetByTestId("plaque-status")).ToHaveTextAsync("已撤销");
        await Browser.KeepAndScanAsync(anyone, "plaque-revoked-phone");
    }
}
