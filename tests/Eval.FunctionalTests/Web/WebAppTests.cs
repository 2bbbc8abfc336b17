using System.Net;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;
using Microsoft.Playwright;

namespace Eval.FunctionalTests.Web;

/// <summary>
/// The web app (web/Eval.Web) in Debian's chromium, served by the real local host beside its API, on Azurite: as the
/// people who use it would, through the pages alone. Each page is scanned with axe and kept as a screenshot.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class WebAppTests(LocalHostFixture fixture, Browser browser) : IClassFixture<LocalHostFixture>
{
    Uri App => fixture.Host.BaseAddress;

    [Fact]
    public async Task The_app_is_served_beside_the_API_and_a_path_under_api_stays_the_APIs()
    {
        using HttpResponseMessage index = await fixture.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Contains("最强党支部评选", await index.Content.ReadAsStringAsync());
        // A page the app routes itself gets the app; an unknown API path gets the API's 404 problem, not the app.
        using HttpResponseMessage deepLink = await fixture.Http.GetAsync("/public/campaigns/x");
        Assert.Equal("text/html", deepLink.Content.Headers.ContentType?.MediaType);
        // Unit ids have dots, which do not make a page's path a file's.
        using HttpResponseMessage dotted = await fixture.Http.GetAsync("/campaigns/c/evaluations/chifeng.hongshan.t01.b001");
        Assert.Equal("text/html", dotted.Content.Headers.ContentType?.MediaType);
        using HttpResponseMessage missingAsset = await fixture.Http.GetAsync("/_framework/no-such-file.js");
        Assert.Equal(HttpStatusCode.NotFound, missingAsset.StatusCode);
        using HttpResponseMessage unknown = await fixture.Http.GetAsync("/api/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.NotEqual("text/html", unknown.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_unit_that_does_not_exist_is_shown_beside_its_field()
    {
        IPage page = await browser.OpenAsync(App, Browser.Phone);
        await page.GotoAsync("sign-in");
        await page.GetByLabel("单位编码").FillAsync("chifeng.nowhere");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();

        ILocator field = page.Locator(".mud-input-control", new() { Has = page.Locator("#unit") });
        await Assertions.Expect(field).ToContainTextAsync("A unit that exists");
        await Browser.KeepAndScanAsync(page, "sign-in-error-phone");
    }

    [Fact]
    public async Task A_township_reviewer_signs_in_and_sees_the_branches_waiting_on_it()
    {
        using var driver = new CampaignDriver(fixture.Host);
        TestCounty county = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 3);
        string campaign = await driver.CreateAndStartAsync(
            CampaignDriver.Campaign("web-" + Guid.NewGuid().ToString("N")[..8], county.Id, townshipReview: "P2D"), county.Id, 3);
        await driver.SubmitAllAsync(campaign, county.Branches, CampaignDriver.Scores(24, 24, 24, 24));

        IPage page = await browser.OpenAsync(App, Browser.Phone);
        await WebSignIn.AsAsync(page, Roles.TownshipReviewer, CampaignDriver.TownshipOf(county.Branches[0]));

        ILocator rows = page.Locator("[data-testid=inbox] tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await Assertions.Expect(rows.First).ToContainTextAsync("乡镇审核");
        await Assertions.Expect(rows.First).ToContainTextAsync("第1苏木第1嘎查党支部");
        // At a phone's width nothing runs off the side of the page.
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        await Browser.KeepAndScanAsync(page, "township-inbox-phone");
    }

    [Fact]
    public async Task Anyone_reads_a_list_under_notice_without_signing_in()
    {
        using var driver = new CampaignDriver(fixture.Host);
        TestCounty county = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 2);
        string campaign = await driver.CreateAndStartAsync(
            CampaignDriver.Campaign("webl-" + Guid.NewGuid().ToString("N")[..8], county.Id, publicity: "P1D"), county.Id, 2);
        await driver.ToNoticeAsync(campaign, county);

        IPage page = await browser.OpenAsync(App, Browser.Desk);
        await page.GotoAsync($"public/campaigns/{campaign}");
        await Assertions.Expect(page.GetByTestId("list-status")).ToContainTextAsync("公示中");
        await Assertions.Expect(page.Locator("[data-testid=ratings] tbody tr")).ToHaveCountAsync(2);
        await Browser.KeepAndScanAsync(page, "list-under-notice-desk");
    }

    [Fact]
    public async Task The_app_speaks_English_on_request_and_keeps_to_it()
    {
        IPage page = await browser.OpenAsync(App, Browser.Desk);
        await page.GotoAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Welcome");
        Assert.Equal("en", await page.EvaluateAsync<string>("document.documentElement.lang"));
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Welcome");
        await Browser.KeepAndScanAsync(page, "home-english-desk");
    }
}

/// <summary>Signing in through the development sign-in page, as a person would.</summary>
static class WebSignIn
{
    public static async Task AsAsync(IPage page, string role, string unit)
    {
        await page.GotoAsync("sign-in");
        await page.GetByLabel("角色").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = RoleName(role) }).ClickAsync();
        await page.GetByLabel("单位编码").FillAsync(unit);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("待办");
    }

    static string RoleName(string role) => role switch
    {
        Roles.BranchSecretary => "支部书记",
        Roles.TownshipReviewer => "乡镇（街道）审核人",
        Roles.CountyScorer => "旗县区评分人",
        Roles.OrgDepartment => "组织部",
        _ => "党员",
    };
}

/// <summary>The browser tests share one chromium.</summary>
[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<Browser>
{
    public const string Name = "web app";
}
