using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;

namespace Eval.FunctionalTests;

/// <summary>The audit chains: intact after a real campaign, and every kind of tampering in Azurite is detected.</summary>
public sealed class AuditTests(LocalHostFixture fx) : IClassFixture<LocalHostFixture>, IDisposable
{
    readonly CampaignDriver driver = new(fx.Host);

    public void Dispose() => driver.Dispose();

    [Fact]
    public async Task Edits_deletions_reorderings_and_a_changed_published_list_are_each_detected()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 1);
        string branch = county.Branches[0];
        string campaign = await driver.CreateAndStartAsync(
            CampaignDriver.Campaign("au-" + Guid.NewGuid().ToString("N")[..8], county.Id, "PT10M", "PT10M", "PT10M", publicity: "PT3S"),
            county.Id, 1);
        await CampaignDriver.Expect(await driver.SubmitAsync(campaign, branch, CampaignDriver.Scores(25, 24, 23, 25)),
            HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, branch, "awaiting-township-review");
        await CampaignDriver.Expect(await driver.ReviewAsync(campaign, branch, "approve"), HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, branch, "awaiting-county-score");
        await CampaignDriver.Expect(await driver.ScoreAsync(campaign, branch, CampaignDriver.Scores(25, 24, 23, 25)),
            HttpStatusCode.Accepted);
        await driver.WaitForStageAsync(campaign, branch, "done");
        HttpClient org = driver.As(Roles.OrgDepartment, county.Id);
        await CampaignDriver.Expect(await org.PostAsJsonAsync($"api/campaigns/{campaign}/publication", new { }), HttpStatusCode.Accepted);
        await Poll.UntilAsync(
            async () => (await driver.GetCampaignAsync(campaign, county.Id)).GetProperty("status").GetString() == "published" ? "ok" : null,
            TimeSpan.FromSeconds(60), "publication", () => fx.Host.Output);

        JsonElement intact = await VerifyAsync(org, campaign);
        Assert.True(intact.GetProperty("intact").GetBoolean(), intact.ToString());
        Assert.Equal(2, intact.GetProperty("chains").GetInt32()); // the evaluation's and the campaign's
        Assert.Equal(6, intact.GetProperty("links").GetInt32());  // started, submitted, approved, scored; proposed, published

        TableClient audit = fx.Table("Audit");
        string Key(int seq) => $"{branch}|{seq:D6}";
        TableEntity Link(int seq) => audit.GetEntity<TableEntity>(campaign, Key(seq)).Value;

        // 1. An edited link (its hash left as it was).
        await Tampered(org, campaign, audit, [Key(2)], async () =>
        {
            TableEntity e = Link(2);
            e["Entry"] = e.GetString("Entry")!.Replace("township-approved", "township-rejected");
            await audit.UpdateEntityAsync(e, ETag.All, TableUpdateMode.Replace);
        }, branch, 2, "edited");

        // 2. An edited link with a freshly computed hash: the next link no longer points at it.
        await Tampered(org, campaign, audit, [Key(1)], async () =>
        {
            TableEntity e = Link(1);
            string forged = e.GetString("Entry")!.Replace("round 0", "round 9");
            e["Entry"] = forged;
            e["Hash"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(forged)));
            await audit.UpdateEntityAsync(e, ETag.All, TableUpdateMode.Replace);
        }, branch, 2, "does not point");

        // 3. A link deleted from the middle.
        await Tampered(org, campaign, audit, [Key(1)], () => audit.DeleteEntityAsync(campaign, Key(1)), branch, 1, "missing");

        // 4. The last link deleted: the evaluation's record still counts it.
        await Tampered(org, campaign, audit, [Key(3)], () => audit.DeleteEntityAsync(campaign, Key(3)), branch, 3, "records");

        // 5. Two links swapped.
        await Tampered(org, campaign, audit, [Key(1), Key(2)], async () =>
        {
            TableEntity one = Link(1), two = Link(2);
            (one["Entry"], two["Entry"], one["Hash"], two["Hash"]) = (two["Entry"], one["Entry"], two["Hash"], one["Hash"]);
            await audit.UpdateEntityAsync(one, ETag.All, TableUpdateMode.Replace);
            await audit.UpdateEntityAsync(two, ETag.All, TableUpdateMode.Replace);
        }, branch, 1, "wrong place");

        // 6. The published list changed after it was sealed.
        TableClient ratings = fx.Table("Ratings");
        TableEntity rating = ratings.GetEntity<TableEntity>(campaign, branch).Value;
        rating["Level"] = "strongest-ever";
        await ratings.UpdateEntityAsync(rating, ETag.All, TableUpdateMode.Replace);
        JsonElement sealedList = await VerifyAsync(org, campaign);
        Assert.False(sealedList.GetProperty("intact").GetBoolean());
        Assert.Equal("campaign", sealedList.GetProperty("firstBroken").GetProperty("chain").GetString());
        Assert.Contains("published ratings", sealedList.GetProperty("firstBroken").GetProperty("problem").GetString());
    }

    [Fact]
    public async Task A_score_the_proposed_list_the_published_link_and_a_whole_evaluation_changed_in_the_tables_are_each_detected()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 2);
        string campaign = await driver.CreateAndStartAsync(
            CampaignDriver.Campaign("au-" + Guid.NewGuid().ToString("N")[..8], county.Id, "PT10M", "PT10M", "PT10M", publicity: "PT40S"),
            county.Id, 2);
        string first = county.Branches[0], second = county.Branches[1];
        await driver.ScoreAllAsync(campaign, county, i => i == 0 ? [25, 24, 23, 25] : [20, 20, 20, 20]);
        HttpClient org = driver.As(Roles.OrgDepartment, county.Id);
        JsonElement intact = await VerifyAsync(org, campaign);
        Assert.True(intact.GetProperty("intact").GetBoolean(), intact.ToString());

        TableClient evaluations = fx.Table("Evaluations"), audit = fx.Table("Audit"), proposed = fx.Table("ProposedRatings");
        // 1. A county score edited in the evaluation's row (its link, 3 = started, submitted, approved, scored, recorded it).
        await Changed(org, campaign, [(evaluations, campaign, first)], async () =>
        {
            TableEntity row = (await evaluations.GetEntityAsync<TableEntity>(campaign, first)).Value;
            Assert.Contains("\"political\":25", row.GetString("Scores"));
            row["Scores"] = row.GetString("Scores")!.Replace("\"political\":25", "\"political\":30");
            await evaluations.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);
        }, first, 3, "stored score 1, result differs");
        // The final score alone, edited where the ranking reads it.
        await Changed(org, campaign, [(evaluations, campaign, second)], async () =>
        {
            TableEntity row = (await evaluations.GetEntityAsync<TableEntity>(campaign, second)).Value;
            row["FinalScore"] = 99.5;
            await evaluations.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);
        }, second, 3, "differs from what this link recorded");

        // 2. During the notice: a level edited on the proposed list, and the list's link removed.
        await CampaignDriver.Expect(await org.PostAsJsonAsync($"api/campaigns/{campaign}/publication", new { }), HttpStatusCode.Accepted);
        await driver.RatingsAsync(campaign, "publicity");
        await Changed(org, campaign, [(proposed, campaign, second)], async () =>
        {
            TableEntity row = (await proposed.GetEntityAsync<TableEntity>(campaign, second)).Value;
            row["Level"] = "strongest";
            await proposed.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);
        }, "campaign", 0, "proposed ratings differ");
        await Changed(org, campaign, [(audit, campaign, "campaign|000000")],
            () => audit.DeleteEntityAsync(campaign, "campaign|000000"), "campaign", 0, "proposed list has no link");

        // 3. Published: the published link removed no longer switches its check off.
        await Poll.UntilAsync(
            async () => (await driver.GetCampaignAsync(campaign, county.Id)).GetProperty("status").GetString() == "published" ? "ok" : null,
            TimeSpan.FromSeconds(90), "publication", () => fx.Host.Output);
        Assert.True((await VerifyAsync(org, campaign)).GetProperty("intact").GetBoolean());
        await Changed(org, campaign, [(audit, campaign, "campaign|000001")],
            () => audit.DeleteEntityAsync(campaign, "campaign|000001"), "campaign", 1, "no published link");

        // 4. An evaluation removed with its whole chain: the campaign started two.
        var chain = new List<(TableClient, string, string)> { (evaluations, campaign, second) };
        for (int seq = 0; seq <= 3; seq++) chain.Add((audit, campaign, $"{second}|{seq:D6}"));
        await Changed(org, campaign, chain, async () =>
        {
            foreach (var (table, pk, rk) in chain) await table.DeleteEntityAsync(pk, rk);
        }, "campaign", 0, "started 2 evaluations, the tables hold 1");
    }

    [Fact]
    public async Task Once_signed_a_chain_rewritten_with_fresh_hashes_a_register_row_and_a_list_signed_elsewhere_are_each_detected()
    {
        TestCounty county = await driver.CreateCountyAsync(1, 1);
        string branch = county.Branches[0];
        string campaign = await driver.CreateAndStartAsync(
            CampaignDriver.Campaign("au-" + Guid.NewGuid().ToString("N")[..8], county.Id, "PT10M", "PT10M", "PT10M", publicity: "PT3S"),
            county.Id, 1);
        await driver.ScoreAllAsync(campaign, county, _ => [25, 24, 23, 25]);
        HttpClient org = driver.As(Roles.OrgDepartment, county.Id);
        await CampaignDriver.Expect(await org.PostAsJsonAsync($"api/campaigns/{campaign}/publication", new { }), HttpStatusCode.Accepted);
        await Poll.UntilAsync(async () =>
        {
            using HttpResponseMessage r = await fx.Http.GetAsync($"api/campaigns/{campaign}/ratings.jws");
            return r.StatusCode == HttpStatusCode.OK ? "ok" : null;
        }, TimeSpan.FromSeconds(90), "the published list signed", () => fx.Host.Output);
        JsonElement intact = await VerifyAsync(org, campaign);
        Assert.True(intact.GetProperty("intact").GetBoolean(), intact.ToString());

        TableClient evaluations = fx.Table("Evaluations"), audit = fx.Table("Audit"), honours = fx.Table("Honours"),
            statements = fx.Table("Statements");
        string lastLink = $"{branch}|{3:D6}";
        // 1. The evaluation's last link rewritten with a fresh hash, and the record's head moved to it: the chain agrees
        //    with itself and its record, not with the heads the signed list sealed.
        await Changed(org, campaign, [(audit, campaign, lastLink), (evaluations, campaign, branch)], async () =>
        {
            TableEntity link = (await audit.GetEntityAsync<TableEntity>(campaign, lastLink)).Value;
            string entry = link.GetString("Entry")!.Replace("\"detail\":\"", "\"detail\":\"(rewritten) ");
            link["Entry"] = entry;
            link["Hash"] = Sha256Hex(Encoding.UTF8.GetBytes(entry));
            await audit.UpdateEntityAsync(link, ETag.All, TableUpdateMode.Replace);
            TableEntity row = (await evaluations.GetEntityAsync<TableEntity>(campaign, branch)).Value;
            row["AuditHead"] = link["Hash"];
            await evaluations.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);
        }, "statement", 1, "heads differ");

        // 2. The title's row in the register, revoked by hand.
        await Changed(org, campaign, [(honours, campaign, branch)], async () =>
        {
            TableEntity row = (await honours.GetEntityAsync<TableEntity>(campaign, branch)).Value;
            row["Status"] = HonourStatus.Revoked;
            row["CurrentLevel"] = "none";
            await honours.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);
        }, "statement", 1, $"branch {branch}'s rating or honour differs");

        // 3. The signed list replaced by the same payload signed with another key, its row's hash made to match.
        await Changed(org, campaign, [(statements, campaign, "999998")], async () =>
        {
            TableEntity row = (await statements.GetEntityAsync<TableEntity>(campaign, "999998")).Value;
            BlobContainerClient container =
                new BlobServiceClient(AzuriteInstance.Shared.ConnectionString).GetBlobContainerClient("statements");
            string jws = (await container.GetBlobClient(row.GetString("Blob")).DownloadContentAsync()).Value.Content.ToString();
            byte[] forged = Encoding.ASCII.GetBytes(SignedElsewhere(jws.Split('.')[1]));
            string name = $"{campaign}/forged-{Guid.NewGuid():N}.jws";
            await container.GetBlobClient(name).UploadAsync(new BinaryData(forged));
            row["Blob"] = name;
            row["Sha256"] = Sha256Hex(forged);
            await statements.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);
        }, "statement", 1, "signature does not hold");
    }

    static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>A compact ES256 JWS of <paramref name="payload"/> under a key of its own, as one without the app's would sign.</summary>
    static string SignedElsewhere(string payload)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string header = Base64Url.EncodeToString("{\"alg\":\"ES256\",\"kid\":\"forged\"}"u8);
        string input = header + "." + payload;
        return input + "." + Base64Url.EncodeToString(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256));
    }

    /// <summary>
    /// Saves the rows, changes them, expects the break at (chain, seq) with the problem, restores them, and expects the
    /// campaign intact again.
    /// </summary>
    static async Task Changed(HttpClient org, string campaign, List<(TableClient Table, string PartitionKey, string RowKey)> rows,
        Func<Task> change, string chain, int seq, string problem)
    {
        var saved = new List<(TableClient, TableEntity)>();
        foreach (var (table, pk, rk) in rows) saved.Add((table, (await table.GetEntityAsync<TableEntity>(pk, rk)).Value));
        await change();
        JsonElement result = await VerifyAsync(org, campaign);
        Assert.False(result.GetProperty("intact").GetBoolean(), result.ToString());
        JsonElement at = result.GetProperty("firstBroken");
        Assert.Equal(chain, at.GetProperty("chain").GetString());
        Assert.Equal(seq, at.GetProperty("seq").GetInt32());
        Assert.Contains(problem, at.GetProperty("problem").GetString());
        foreach (var (table, e) in saved) await table.UpsertEntityAsync(e, TableUpdateMode.Replace);
        JsonElement restored = await VerifyAsync(org, campaign);
        Assert.True(restored.GetProperty("intact").GetBoolean(), restored.ToString());
    }

    /// <summary>Saves the rows, tampers, expects the break at (chain, seq), restores, expects the chain intact again.</summary>
    async Task Tampered(HttpClient org, string campaign, TableClient audit, string[] keys, Func<Task> tamper, string chain,
        int seq, string problem)
    {
        var saved = keys.Select(k => audit.GetEntity<TableEntity>(campaign, k).Value).ToList();
        await tamper();
        JsonElement result = await VerifyAsync(org, campaign);
        Assert.False(result.GetProperty("intact").GetBoolean(), result.ToString());
        JsonElement at = result.GetProperty("firstBroken");
        Assert.Equal(chain, at.GetProperty("chain").GetString());
        Assert.Equal(seq, at.GetProperty("seq").GetInt32());
        Assert.Contains(problem, at.GetProperty("problem").GetString());
        foreach (TableEntity e in saved) await audit.UpsertEntityAsync(e, TableUpdateMode.Replace);
        Assert.True((await VerifyAsync(org, campaign)).GetProperty("intact").GetBoolean());
    }

    static async Task<JsonElement> VerifyAsync(HttpClient org, string campaign)
    {
        using HttpResponseMessage r = await org.GetAsync($"api/campaigns/{campaign}/audit/verify");
        await CampaignDriver.Expect(r, HttpStatusCode.OK);
        return await r.Content.ReadFromJsonAsync<JsonElement>();
    }
}
