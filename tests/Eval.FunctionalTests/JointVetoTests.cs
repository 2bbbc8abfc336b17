using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests;

/// <summary>
/// Joint vetoes (联审): the organization department records another department's veto until publication. A running
/// evaluation ends vetoed; a scored one on the proposed list loses its level; either way it is in the evaluation's
/// history, the campaign's audit chain and the evaluation's, and the chains verify intact.
/// </summary>
public sealed class JointVetoTests(LocalHostFixture fx) : IClassFixture<LocalHostFixture>, IDisposable
{
    readonly CampaignDriver driver = new(fx.Host);

    public void Dispose() => driver.Dispose();

    static object Veto(string documentRef = "赤纪函〔2026〕12号") =>
        new { department = "旗纪委监委", documentRef, reason = "支部书记受党纪处分" };

    Task<HttpResponseMessage> VetoAsync(string campaign, string branch, object body, string role = Roles.OrgDepartment,
        string? unit = null) =>
        driver.As(role, unit ?? CampaignDriver.CountyOf(branch))
            .PostAsJsonAsync($"api/campaigns/{campaign}/evaluations/{branch}/vetoes", body);

    async Task<JsonElement> VerifyAsync(string campaign, string county) =>
        await driver.As(Roles.OrgDepartment, county).GetFromJsonAsync<JsonElement>($"api/campaigns/{campaign}/audit/verify");

    [Fact]
    public async Task A_running_evaluation_ends_vetoed_and_only_the_organization_department_records_one_veto()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 1);
        string branch = county.Branches[0];
        string campaign = await driver.CreateAndStartAsync(CampaignDriver.Campaign("jv-" + Guid.NewGuid().ToString("N")[..8], county.Id),
            county.Id, 1);
        await CampaignDriver.Expect(await driver.SubmitAsync(campaign, branch, CampaignDriver.Scores(24, 24, 24, 24)),
            HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, branch, "awaiting-township-review");

        await CampaignDriver.Expect(await VetoAsync(campaign, branch, Veto(), Roles.TownshipReviewer, CampaignDriver.TownshipOf(branch)),
            HttpStatusCode.Forbidden);
        await CampaignDriver.Expect(await VetoAsync(campaign, branch, new { department = "旗纪委监委", reason = "无文号" }),
            HttpStatusCode.UnprocessableEntity);
        await CampaignDriver.Expect(await VetoAsync(campaign, branch, Veto("赤纪函\u202e〔2026〕12号")),
            HttpStatusCode.UnprocessableEntity);
        Assert.Equal("awaiting-township-review", (await driver.EvaluationAsync(campaign, branch)).GetProperty("stage").GetString());

        await CampaignDriver.Expect(await VetoAsync(campaign, branch, Veto()), HttpStatusCode.Accepted);
        JsonElement done = await driver.WaitForStageAsync(campaign, branch, "done");
        Assert.Equal(Outcomes.Vetoed, done.GetProperty("outcome").GetString());
        JsonElement last = done.GetProperty("history").EnumerateArray().Last();
        Assert.Equal((HistoryActions.JointVetoed, "旗纪委监委 赤纪函〔2026〕12号: 支部书记受党纪处分"),
            (last.GetProperty("action").GetString(), last.GetProperty("detail").GetString()));
        Assert.Equal(MissReasons.Veto, done.GetProperty("why").GetProperty("unranked").GetProperty("reason").GetString());
        await CampaignDriver.Expect(await VetoAsync(campaign, branch, Veto("另一文号")), HttpStatusCode.Conflict);
        // The township may no longer review: the evaluation is over.
        await CampaignDriver.Expect(await driver.ReviewAsync(campaign, branch, "approve"), HttpStatusCode.Conflict);

        JsonElement verify = await VerifyAsync(campaign, county.Id);
        Assert.True(verify.GetProperty("intact").GetBoolean(), verify.ToString());
        // started, submitted, vetoed; and the campaign's own link of the veto.
        Assert.Equal(4, verify.GetProperty("links").GetInt32());
    }

    [Fact]
    public async Task A_branch_on_the_proposed_list_loses_its_level_and_after_publication_no_veto_is_taken()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 2);
        string campaign = await driver.CreateAndStartAsync(CampaignDriver.Campaign("jn-" + Guid.NewGuid().ToString("N")[..8], county.Id,
            publicity: "PT20S"), county.Id, 2);
        await driver.ToNoticeAsync(campaign, county);
        string vetoed = county.Branches[1];

        await CampaignDriver.Expect(await VetoAsync(campaign, vetoed, Veto()), HttpStatusCode.Accepted);
        JsonElement evaluation = await driver.EvaluationAsync(campaign, vetoed);
        Assert.Equal(Outcomes.Vetoed, evaluation.GetProperty("outcome").GetString());
        Assert.Equal(HistoryActions.JointVetoed,
            evaluation.GetProperty("history").EnumerateArray().Last().GetProperty("action").GetString());
        JsonElement list = await fx.Http.GetFromJsonAsync<JsonElement>($"api/campaigns/{campaign}/ratings");
        JsonElement row = list.GetProperty("ratings").EnumerateArray().Single(r => r.GetProperty("branchId").GetString() == vetoed);
        Assert.Equal((Ranking.Revoked, "vetoed: 旗纪委监委 赤纪函〔2026〕12号"),
            (row.GetProperty("level").GetString(), row.GetProperty("reason").GetString()));

        JsonElement verify = await VerifyAsync(campaign, county.Id);
        Assert.True(verify.GetProperty("intact").GetBoolean(), verify.ToString());

        await Poll.UntilAsync(async () =>
            (await driver.GetCampaignAsync(campaign, county.Id)).GetProperty("status").GetString() == "published" ? "ok" : null,
            TimeSpan.FromSeconds(90), "publication", () => fx.Host.Output);
        JsonElement published = await fx.Http.GetFromJsonAsync<JsonElement>($"api/campaigns/{campaign}/ratings");
        Assert.Equal(Ranking.Revoked, published.GetProperty("ratings").EnumerateArray()
            .Single(r => r.GetProperty("branchId").GetString() == vetoed).GetProperty("level").GetString());
        await CampaignDriver.Expect(await VetoAsync(campaign, county.Branches[0], Veto()), HttpStatusCode.Conflict);
    }
}
