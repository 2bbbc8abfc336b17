using System.Text.Json.Nodes;
using Eval.FunctionalTests.Infrastructure;
using Eval.LocalHost.Cli;
using Eval.Workflows.Domain;
using Microsoft.Playwright;

namespace Eval.FunctionalTests.Web;

/// <summary>
/// A small campaign from its creation to the page of a plaque, through the app alone, each step by its own person in their
/// own browser: the department, two branch secretaries (one on a phone, with a file), the township reviewer (a return and the
/// resubmission), the county scorer, a party member (an objection, and elsewhere a ballot), and anyone at all at the end.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class CampaignThroughTheAppTests(LocalHostFixture fixture, Browser browser) : IClassFixture<LocalHostFixture>
{
    Uri App => fixture.Host.BaseAddress;

    [Fact]
    public async Task A_campaign_goes_from_the_editor_to_a_plaque_anyone_can_check()
    {
        using var driver = new CampaignDriver(fixture.Host);
        TestCounty county = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 2);
        (string a, string b) = (county.Branches[0], county.Branches[1]);
        string township = CampaignDriver.TownshipOf(a), id = $"webe2e-{Guid.NewGuid():N}"[..15];

        // The department writes the campaign: the standard rules, its notice cut to seconds in the JSON view, and a
        // refusal of the API shown on its field before the campaign is created and started.
        IPage department = await SignedInAsync(Roles.OrgDepartment, county.Id, Browser.Desk);
        await department.GotoAsync("campaigns/new");
        await Field(department, "/id").FillAsync(id);
        await department.GetByRole(AriaRole.Tab, new() { Name = "JSON" }).ClickAsync();
        JsonObject definition = JsonNode.Parse(await department.Locator("#campaign-json").InputValueAsync())!.AsObject();
        definition.Remove("appraisal");
        definition["rubric"]!.AsObject().Remove("components");
        definition["schedule"]!["publicity"] = "PT25S";
        definition["levels"]![0]!["minScore"] = 190;
        await department.Locator("#campaign-json").FillAsync(definition.ToJsonString());
        await department.GetByRole(AriaRole.Tab, new() { Name = "表单" }).ClickAsync();
        await department.GetByTestId("create-campaign").ClickAsync();
        ILocator minScore = department.Locator(".mud-input-control", new() { Has = Field(department, "/levels/0/minScore") });
        await Assertions.Expect(minScore).ToContainTextAsync("100");
        await Browser.KeepAndScanAsync(department, "e2e-1-editor-refused");
        await Field(department, "/levels/0/minScore").FillAsync("90");
        await department.GetByTestId("create-campaign").ClickAsync();
        await department.GetByTestId("start").ClickAsync();
        await Assertions.Expect(department.GetByTestId("stage-counts")).ToContainTextAsync("待自评申报2", new() { Timeout = 60_000 });

        // Secretary A, on a phone: points, a file straight to storage, the summary.
        IPage secretaryA = await SignedInAsync(Roles.BranchSecretary, a, Browser.Phone);
        await secretaryA.Locator("[data-testid=inbox] tbody tr").First.GetByRole(AriaRole.Link).ClickAsync();
        await FillSelfAssessmentAsync(secretaryA, 22, "全年开展主题党日12次。");
        await secretaryA.Locator("#file-unity").SetInputFilesAsync(
            new FilePayload { Name = "民族团结活动照片.png", MimeType = "image/png", Buffer = EvidenceSamples.Png });
        await Assertions.Expect(secretaryA.GetByTestId("criterion-unity").GetByTestId("evidence-file"))
            .ToContainTextAsync("民族团结活动照片");
        await Browser.KeepAndScanAsync(secretaryA, "e2e-2-secretary-form-phone");
        await SubmitSelfAssessmentAsync(secretaryA);

        IPage secretaryB = await SignedInAsync(Roles.BranchSecretary, b, Browser.Phone);
        await secretaryB.GotoAsync($"campaigns/{id}/evaluations/{b}");
        await FillSelfAssessmentAsync(secretaryB, 24, "结对帮扶困难群众36户。");
        await SubmitSelfAssessmentAsync(secretaryB);

        // The township reviewer returns A with what to change, and approves B.
        IPage reviewer = await SignedInAsync(Roles.TownshipReviewer, township, Browser.Phone);
        await reviewer.GotoAsync($"campaigns/{id}/evaluations/{a}");
        await reviewer.GetByText("退回修改", new() { Exact = true }).ClickAsync();
        await reviewer.Locator("#review-comment").FillAsync("请补充组织生活会记录。");
        await reviewer.GetByRole(AriaRole.Button, new() { Name = "确认退回" }).ClickAsync();
        await Assertions.Expect(reviewer.GetByTestId("stage")).ToContainTextAsync("待自评申报", new() { Timeout = 30_000 });
        await reviewer.GotoAsync($"campaigns/{id}/evaluations/{b}");
        await ApproveAsync(reviewer);

        // A sees the comment, corrects and sends again; the reviewer approves it from the queue.
        await secretaryA.ReloadAsync();
        await Assertions.Expect(secretaryA.GetByTestId("returned")).ToContainTextAsync("请补充组织生活会记录。");
        await secretaryA.GetByLabel("组织引领（满分 25）").FillAsync("23");
        await SubmitSelfAssessmentAsync(secretaryA);
        await reviewer.GotoAsync($"campaigns/{id}/evaluations/{a}");
        await ApproveAsync(reviewer);

        // The county scorer scores both.
        IPage scorer = await SignedInAsync(Roles.CountyScorer, county.Id, Browser.Desk);
        foreach ((string branch, int points) in new[] { (a, 24), (b, 23) })
        {
            await scorer.GotoAsync($"campaigns/{id}/evaluations/{branch}");
            foreach (string criterion in new[] { "political", "organization", "service", "unity" })
                await scorer.Locator($"#score-{criterion}").FillAsync(points.ToString());
            await scorer.GetByRole(AriaRole.Button, new() { Name = "提交评分" }).ClickAsync();
            await Assertions.Expect(scorer.GetByTestId("stage")).ToContainTextAsync("已完成", new() { Timeout = 30_000 });
        }

        // The department opens the notice; a party member of B objects to A; the department dismisses it.
        await department.GotoAsync($"campaigns/{id}");
        await department.GetByTestId("publish").ClickAsync();
        await Assertions.Expect(department.GetByTestId("campaign-status")).ToHaveTextAsync("公示中", new() { Timeout = 60_000 });

        IPage member = await SignedInAsync(Roles.Member, b, Browser.Phone);
        await member.GotoAsync($"public/campaigns/{id}");
        ILocator rowA = member.Locator("[data-testid=ratings] tbody tr", new() { HasText = "第1嘎查" });
        await rowA.GetByRole(AriaRole.Button, new() { Name = "异议" }).ClickAsync();
        await member.Locator("#objection-text").FillAsync("该支部民族团结活动照片与本年度无关。");
        await member.GetByRole(AriaRole.Button, new() { Name = "提交异议" }).ClickAsync();
        await Assertions.Expect(member.GetByTestId("objection-filed")).ToBeVisibleAsync();
        await Browser.KeepAndScanAsync(member, "e2e-3-member-objection-phone");

        await department.GotoAsync($"campaigns/{id}/objections");
        await Assertions.Expect(department.Locator("[data-testid=objections] tbody tr")).ToHaveCountAsync(1);
        await department.Locator("[data-testid=objections] thead input[type=checkbox]").CheckAsync();
        await department.GetByText("异议不成立", new() { Exact = true }).First.ClickAsync();
        await department.Locator("#finding").FillAsync("经核实，照片为本年度活动照片。");
        await department.GetByTestId("resolve-selected").ClickAsync();
        await Assertions.Expect(department.GetByTestId("finding-sent")).ToContainTextAsync("已处理 1 条异议");

        // When the notice ends the list is published; anyone opens a branch's plaque from it, without signing in.
        await driver.RatingsAsync(id, "published", seconds: 90);
        IPage anyone = await browser.OpenAsync(App, Browser.Phone);
        await anyone.GotoAsync($"public/campaigns/{id}");
        await Assertions.Expect(anyone.GetByTestId("list-status")).ToContainTextAsync("已公布");
        ILocator listedA = anyone.Locator("[data-testid=ratings] tbody tr", new() { HasText = "第1嘎查" });
        await listedA.GetByRole(AriaRole.Link, new() { Name = "查验" }).ClickAsync();
        await Assertions.Expect(anyone.GetByTestId("plaque-status")).ToHaveTextAsync("有效");
        // 96 points, but a 30% quota of two branches leaves no place at the top level: the next level, as published.
        await Assertions.Expect(anyone.GetByTestId("level-published")).ToHaveTextAsync("先进党支部");
        // The plaque's QR code, from the API, is shown on the page.
        await anyone.WaitForFunctionAsync(
            "() => { const i = document.querySelector('img.plaque-qr'); return i && i.complete && i.naturalWidth > 0; }");
        await Browser.KeepAndScanAsync(anyone, "e2e-4-plaque-phone");

        // The title is in the department's honours register.
        await department.GotoAsync("honours");
        ILocator registeredA = department.Locator("[data-testid=register] tbody tr", new() { HasText = "第1嘎查" });
        await Assertions.Expect(registeredA).ToContainTextAsync("有效");
        await Browser.KeepAndScanAsync(department, "e2e-5-register-desk");
    }

    [Fact]
    public async Task A_party_member_casts_an_anonymous_ballot_from_the_inbox()
    {
        using var driver = new CampaignDriver(fixture.Host);
        TestCounty county = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 1);
        string branch = county.Branches[0];
        string campaign = await driver.CreateAndStartAsync(CampaignDriver.Campaign($"webap-{Guid.NewGuid():N}"[..14], county.Id,
            selfAssessment: "P1D", townshipReview: "P1D").WithAppraisal(ChifengCampaign.Appraisal with { Window = "P1D" }), county.Id, 1);

        // The secretary says how many members may vote, on the evaluation's page.
        IPage secretary = await SignedInAsync(Roles.BranchSecretary, branch, Browser.Phone);
        await secretary.GotoAsync($"campaigns/{campaign}/evaluations/{branch}");
        await secretary.Locator("#roster-count").FillAsync("3");
        await secretary.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(secretary.GetByTestId("appraisal-state")).ToContainTextAsync("应参评 3 人");
        await FillSelfAssessmentAsync(secretary, 23, "全年工作总结。");
        await SubmitSelfAssessmentAsync(secretary);

        IPage member = await SignedInAsync(Roles.Member, branch, Browser.Phone);
        ILocator ballot = member.Locator("[data-testid=inbox] tbody tr", new() { HasText = "民主测评投票" });
        await ballot.GetByRole(AriaRole.Link).ClickAsync();
        await member.GetByText("满意", new() { Exact = true }).ClickAsync();
        await Browser.KeepAndScanAsync(member, "member-ballot-phone");
        await member.GetByRole(AriaRole.Button, new() { Name = "投票" }).ClickAsync();
        await Assertions.Expect(member.GetByTestId("voted")).ToBeVisibleAsync();

        await secretary.ReloadAsync();
        await Assertions.Expect(secretary.GetByTestId("appraisal-state")).ToContainTextAsync("已投 1 票");
    }

    async Task<IPage> SignedInAsync(string role, string unit, ViewportSize size)
    {
        IPage page = await browser.OpenAsync(App, size);
        await WebSignIn.AsAsync(page, role, unit);
        return page;
    }

    static async Task FillSelfAssessmentAsync(IPage page, int points, string summary)
    {
        foreach (string criterion in new[] { "政治引领", "组织引领", "服务引领", "民族团结进步" })
            await page.GetByLabel($"{criterion}（满分 25）").FillAsync(points.ToString());
        await page.GetByLabel("年度工作总结").FillAsync(summary);
    }

    static async Task SubmitSelfAssessmentAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "提交自评" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("stage")).ToContainTextAsync("待乡镇审核", new() { Timeout = 30_000 });
    }

    static async Task ApproveAsync(IPage reviewer)
    {
        await reviewer.GetByText("审核通过", new() { Exact = true }).ClickAsync();
        await reviewer.GetByRole(AriaRole.Button, new() { Name = "确认通过" }).ClickAsync();
        await Assertions.Expect(reviewer.GetByTestId("stage")).ToContainTextAsync("待旗县区评分", new() { Timeout = 30_000 });
    }

    static ILocator Field(IPage page, string pointer) =>
        page.Locator($"input[data-pointer='{pointer}'], [data-pointer='{pointer}'] input").First;
}
