using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.LocalHost.Cli;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests;

/// <summary>
/// A new campaign sees each branch's honours register (docs/scoring.md, "The register in a new campaign"): a campaign
/// published with the register written (campaign workflow version 3), a title revoked, and the county's next campaign,
/// whose evaluations show last year's title and whose top level asks for no revocation in the last year.
/// </summary>
public sealed class RegisterInCampaignTests(LocalHostFixture fx) : IClassFixture<LocalHostFixture>, IDisposable
{
    readonly CampaignDriver driver = new(fx.Host);

    public void Dispose() => driver.Dispose();

    // Every branch scoring 96 reaches the top level: no quota, so the gate alone decides.
    static Level[] Levels(params LevelGate[] topGates) =>
    [
        ChifengCampaign.Levels[0] with { Quota = null, Gates = topGates.Length == 0 ? null : topGates },
        .. ChifengCampaign.Levels.Skip(1),
    ];

    [Fact]
    public async Task Last_years_title_shows_in_the_evaluation_and_a_revoked_branch_misses_the_top_level_with_the_reason()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 3);
        string revoked = county.Branches[0], kept = county.Branches[1];
        HttpClient org = driver.As(Roles.OrgDepartment, county.Id);

        string first = "rg-" + Guid.NewGuid().ToString("N")[..8];
        await driver.CreateAndStartAsync(CampaignDriver.Campaign(first, county.Id, "PT10M", "PT10M", "PT10M", "PT3S") with
        {
            Year = 2025, Levels = Levels(),
        }, county.Id, 3);
        await driver.ScoreAllAsync(first, county);
        await CampaignDriver.Expect(await org.PostAsJsonAsync($"api/campaigns/{first}/publication", new { }), HttpStatusCode.Accepted);
        await driver.RatingsAsync(first, "published", 90);

        // The register is written after publication. The revocation stands for the change workflow's (a table write here).
        TableClient honours = fx.Table("Honours");
        await Poll.UntilAsync(async () =>
        {
            int rows = 0;
            await foreach (TableEntity _ in honours.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {first}")))
                rows++;
            return rows == 3 ? "ok" : null;
        }, TimeSpan.FromSeconds(60), $"{first}'s titles in the register", () => fx.Host.Output);
        DateTimeOffset revokedAt = DateTimeOffset.UtcNow.AddDays(-10).AddHours(-1);
        TableEntity title = (await honours.GetEntityAsync<TableEntity>(first, revoked)).Value;
        title["Status"] = HonourStatus.Revoked;
        title["CurrentLevel"] = Ranking.NoLevel;
        title["Since"] = revokedAt;
        title["ReasonCategory"] = HonourReasons.NegativeList;
        title["Reason"] = "负面清单事项";
        await honours.UpdateEntityAsync(title, title.ETag, TableUpdateMode.Replace);

        string second = "rg-" + Guid.NewGuid().ToString("N")[..8];
        await driver.CreateAndStartAsync(CampaignDriver.Campaign(second, county.Id, "PT10M", "PT10M", "PT10M", "PT3S") with
        {
            Year = 2026, Levels = Levels(new LevelGate(GateKinds.NoRevocation)),
        }, county.Id, 3);

        JsonElement keptRegister = (await driver.EvaluationAsync(second, kept)).GetProperty("register");
        Assert.Equal((2025, first, "strongest", HonourStatus.Active, 1),
            (keptRegister.GetProperty("lastYear").GetInt32(), keptRegister.GetProperty("lastCampaignId").GetString(),
                keptRegister.GetProperty("lastLevel").GetString(), keptRegister.GetProperty("lastStatus").GetString(),
                keptRegister.GetProperty("topLevelYears").GetInt32()));
        JsonElement revokedRegister = (await driver.EvaluationAsync(second, revoked)).GetProperty("register");
        Assert.Equal((Ranking.NoLevel, HonourStatus.Revoked, 0, 10),
            (revokedRegister.GetProperty("lastLevel").GetString(), revokedRegister.GetProperty("lastStatus").GetString(),
                revokedRegister.GetProperty("topLevelYears").GetInt32(), revokedRegister.GetProperty("revokedDaysBeforeStart").GetInt32()));
        Assert.Equal(revokedAt.ToUnixTimeSeconds(), revokedRegister.GetProperty("revokedAt").GetDateTimeOffset().ToUnixTimeSeconds());

        await driver.ScoreAllAsync(second, county);
        // Rehearsals of levels with the gate, scored as stored and scored again: the revoked branch is not on top, unless
        // the gate looks back only 5 days.
        foreach (var (gate, unityWeight, onTop) in new[]
                 {
                     (new LevelGate(GateKinds.NoRevocation), (int?)null, 2), (new LevelGate(GateKinds.NoRevocation), 2, 2),
                     (new LevelGate(GateKinds.NoRevocation) { WithinDays = 5 }, null, 3),
                 })
        {
            JsonNode levels = (CampaignDriver.Campaign(second, county.Id) with { Levels = Levels(gate) }).RequestBody()["levels"]!;
            var tried = new JsonObject { ["levels"] = levels.DeepClone() };
            if (unityWeight is { } weight) tried["unityWeight"] = weight;
            using HttpResponseMessage rehearsal = await org.PostAsJsonAsync($"api/campaigns/{second}/rehearsals", tried);
            await CampaignDriver.Expect(rehearsal, HttpStatusCode.OK);
            JsonElement counts = (await rehearsal.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("levels");
            Assert.Equal(onTop, counts.GetProperty("strongest").GetInt32());
        }

        await CampaignDriver.Expect(await org.PostAsJsonAsync($"api/campaigns/{second}/publication", new { }), HttpStatusCode.Accepted);
        JsonElement ratings = await driver.RatingsAsync(second, "publicity");
        Dictionary<string, JsonElement> byBranch = ratings.GetProperty("ratings").EnumerateArray()
            .ToDictionary(r => r.GetProperty("branchId").GetString()!);
        string detail = $"title revoked {revokedAt.UtcDateTime:yyyy-MM-dd}, 10 days before the campaign's start (within 365)";
        Assert.Equal("advanced", byBranch[revoked].GetProperty("level").GetString());
        Assert.Equal("最强党支部: " + detail, byBranch[revoked].GetProperty("reason").GetString());
        Assert.Equal("strongest", byBranch[kept].GetProperty("level").GetString());

        JsonElement missed = (await driver.EvaluationAsync(second, revoked)).GetProperty("why").GetProperty("missed")[0];
        Assert.Equal(("strongest", GateKinds.NoRevocation, detail),
            (missed.GetProperty("level").GetString(), missed.GetProperty("reason").GetString(), missed.GetProperty("detail").GetString()));
    }
}
