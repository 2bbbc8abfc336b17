using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests;

/// <summary>
/// Quota rehearsals (试算) on a campaign's real scores: counts per level per township, never a branch, each rehearsal in
/// the campaign's audit chain with what was tried; refused with 422 for a definition the campaign would refuse, and with
/// 409 once the notice is open.
/// </summary>
public sealed class RehearsalTests(LocalHostFixture fx) : IClassFixture<LocalHostFixture>, IDisposable
{
    readonly CampaignDriver driver = new(fx.Host);

    public void Dispose() => driver.Dispose();

    [Fact]
    public async Task A_rehearsal_counts_per_township_names_no_branch_and_is_in_the_audit_chain()
    {
        // Two townships of three branches; t01's branches score 96, t02's 92 (unity 24 of 25 everywhere).
        TestCounty county = await driver.CreateCountyAsync(2, 3);
        string campaign = await driver.CreateAndStartAsync(CampaignDriver.Campaign("rh-" + Guid.NewGuid().ToString("N")[..8], county.Id),
            county.Id, 6);
        await driver.ScoreAllAsync(campaign, county, i => i < 3 ? [24, 24, 24, 24] : [23, 23, 22, 24]);
        HttpClient org = driver.As(Roles.OrgDepartment, county.Id);

        // The campaign's own rules: ⌊0.3 × 6⌋ = 1 strongest, t01's first. Handed down per township: ⌊0.5 × 3⌋ = 1 each.
        JsonElement same = await RehearseAsync(org, campaign, new { });
        Assert.Equal(6, same.GetProperty("ranked").GetInt32());
        Assert.Equal((1, 5), (same.GetProperty("levels").GetProperty("strongest").GetInt32(),
            same.GetProperty("levels").GetProperty("advanced").GetInt32()));
        JsonElement perTownship = await RehearseAsync(org, campaign, new
        {
            levels = new object[]
            {
                new { id = "strongest", title = "最强党支部", minScore = 90, quota = 0.5, allocation = new { by = "township" } },
                new { id = "advanced", title = "先进党支部", minScore = 80 },
            },
        });
        Assert.Equal([1, 1], perTownship.GetProperty("units").EnumerateArray()
            .Select(u => u.GetProperty("levels").GetProperty("strongest").GetInt32()));
        string text = perTownship.GetRawText();
        foreach (string branch in county.Branches)
        {
            Assert.DoesNotContain(branch, text, StringComparison.Ordinal);
            Assert.DoesNotContain((await driver.EvaluationAsync(campaign, branch)).GetProperty("branchName").GetString()!, text,
                StringComparison.Ordinal);
        }

        // A heavier unity weight scores every branch again from its points: 100 × (24·3 + 2·24) / (75 + 50) = 96 for
        // t01, 100 × (68 + 48) / 125 = 92.8 for t02: no level changes, and nobody's score was stored.
        JsonElement heavier = await RehearseAsync(org, campaign, new { unityWeight = 2 });
        Assert.Equal(1, heavier.GetProperty("levels").GetProperty("strongest").GetInt32());

        // Refused as the campaign would refuse it, and nothing linked for it.
        using (HttpResponseMessage bad = await org.PostAsJsonAsync($"api/campaigns/{campaign}/rehearsals",
            new { levels = new[] { new { id = "strongest", title = "最强党支部", minScore = 90, quota = 2 } } }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
            Assert.Contains("/levels/0/quota", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (HttpResponseMessage scorer = await driver.As(Roles.CountyScorer, county.Id)
            .PostAsJsonAsync($"api/campaigns/{campaign}/rehearsals", new { }))
            Assert.Equal(HttpStatusCode.Forbidden, scorer.StatusCode);

        // Three rehearsals in the campaign's chain, each with what was tried and what it gave; the chain verifies.
        List<string> linked = [];
        await foreach (TableEntity row in fx.Table("Audit").QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {campaign}")))
        {
            string entry = row.GetString("Entry") ?? "";
            if (entry.Contains($"\"{HistoryActions.Rehearsal}\"", StringComparison.Ordinal)) linked.Add(entry);
        }
        Assert.Equal(3, linked.Count);
        Assert.Contains(linked, e =>
            e.Contains("township", StringComparison.Ordinal) && e.Contains("strongest 2", StringComparison.Ordinal));
        JsonElement verify = await org.GetFromJsonAsync<JsonElement>($"api/campaigns/{campaign}/audit/verify");
        Assert.True(verify.GetProperty("intact").GetBoolean(), verify.ToString());

        // Once the notice is open the rules are fixed.
        await CampaignDriver.Expect(await org.PostAsJsonAsync($"api/campaigns/{campaign}/publication", new { }), HttpStatusCode.Accepted);
        await Poll.UntilAsync(async () =>
            (await driver.GetCampaignAsync(campaign, county.Id)).GetProperty("status").GetString() == "publicity" ? "ok" : null,
            TimeSpan.FromSeconds(60), "the notice", () => fx.Host.Output);
        using HttpResponseMessage late = await org.PostAsJsonAsync($"api/campaigns/{campaign}/rehearsals", new { });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    static async Task<JsonElement> RehearseAsync(HttpClient org, string campaign, object body)
    {
        using HttpResponseMessage r = await org.PostAsJsonAsync($"api/campaigns/{campaign}/rehearsals", body);
        string text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"{(int)r.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
