using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Eval.FunctionalTests.Infrastructure;
using Eval.LocalHost.Cli;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Eval.Workflows.Keys;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Eval.FunctionalTests;

/// <summary>
/// ProposeRatingsActivity and PublishRatingsActivity on real tables. Their messages can be delivered again after a
/// crash (30 s later), while the notice has moved on, and a resolution can die between its two writes: an upheld
/// objection must stay upheld and reach the published list, and a published campaign must stay published.
/// </summary>
public sealed class RatingActivitiesTests : IAsyncLifetime
{
    readonly EvalTables tables = new(new TableServiceClient(AzuriteInstance.Shared.ConnectionString),
        new StorageOptions { TablePrefix = "rat" + Guid.NewGuid().ToString("N")[..8] });
    readonly string campaignId = "rat-" + Guid.NewGuid().ToString("N")[..8];
    readonly CampaignStore campaigns;
    readonly RatingStore ratings;
    readonly ProposeRatingsActivity propose;
    readonly ProposeRatingsInput proposeInput;

    public RatingActivitiesTests()
    {
        campaigns = new CampaignStore(tables);
        ratings = new RatingStore(tables);
        propose = new ProposeRatingsActivity(campaigns, new RankingReader(new EvaluationStore(tables), new UnitStore(tables)), ratings,
            new AuditStore(tables), TimeProvider.System, NullLogger<ProposeRatingsActivity>.Instance);
        proposeInput = new ProposeRatingsInput(campaignId, DateTimeOffset.UtcNow.AddDays(7));
    }

    public Task InitializeAsync() => tables.EnsureCreatedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_repeated_proposal_after_the_notice_opened_changes_nothing()
    {
        await RunningCampaignAsync(2);
        Assert.Equal(2, await propose.RunAsync(proposeInput));
        Assert.Equal("strongest", (await ratings.GetProposedAsync(campaignId, "c1.t1.b1"))!.Level);
        await ratings.RevokeAsync(campaignId, "c1.t1.b1"); // an objection upheld during the notice

        Assert.Equal(2, await propose.RunAsync(proposeInput)); // the same message, delivered again
        Assert.Equal(Ranking.Revoked, (await ratings.GetProposedAsync(campaignId, "c1.t1.b1"))!.Level);

        await campaigns.UpdateAsync(campaignId, c => c with { Status = CampaignStatus.Published });
        await propose.RunAsync(proposeInput);
        Assert.Equal(CampaignStatus.Published, (await campaigns.GetAsync(campaignId))!.Value.Record.Status);
    }

    [Fact]
    public async Task An_upheld_objection_revokes_the_level_on_the_published_list_even_if_its_revocation_was_never_written()
    {
        await RunningCampaignAsync(3);
        await propose.RunAsync(proposeInput);
        Assert.Equal("strongest", (await ratings.GetProposedAsync(campaignId, "c1.t1.b1"))!.Level);

        // Upheld on b1 (its revocation not written); dismissed on b2; b3 has none.
        var objections = new ObjectionStore(tables);
        var member = new Actor("member-1", "群众", "member");
        var org = new Actor("org-1", "组织部", "org-department");
        ObjectionRecord Filed(string branch, string text) =>
            new(campaignId, ObjectionIds.New(DateTimeOffset.UtcNow), branch, text, member, DateTimeOffset.UtcNow);
        async Task ResolveAsync(ObjectionRecord o, string status, string comment)
        {
            Assert.Equal(ObjectionStore.FileOutcome.Filed, (await objections.FileAsync(o, maxPerFiler: 10)).Outcome);
            var (stored, etag) = (await objections.GetAsync(campaignId, o.Id))!.Value;
            var resolved = stored with { Status = status, ResolvedBy = org, ResolvedAt = DateTimeOffset.UtcNow, Comment = comment };
            Assert.True(await objections.TryResolveAsync(resolved, etag));
        }
        await ResolveAsync(Filed("c1.t1.b1", "材料不实"), ObjectionStatus.Upheld, "属实");
        await ResolveAsync(Filed("c1.t1.b2", "有疑问"), ObjectionStatus.Dismissed, "不属实");
        string b2Level = (await ratings.GetProposedAsync(campaignId, "c1.t1.b2"))!.Level;

        var honours = new HonourStore(tables);
        var publish = new PublishRatingsActivity(campaigns, ratings, objections, new AuditStore(tables), honours,
            NullLogger<PublishRatingsActivity>.Instance);
        var input = new PublishRatingsInput(campaignId, DateTimeOffset.UtcNow) { Register = true };
        Assert.Equal(3, await publish.RunAsync(input));
        Assert.Equal(3, await publish.RunAsync(input)); // delivered again: the same list, one seal

        Dictionary<string, string> published = (await ratings.ReadPublishedAsync(campaignId)).ToDictionary(r => r.BranchId, r => r.Level);
        Assert.Equal(Ranking.Revoked, published["c1.t1.b1"]);
        Assert.Equal(b2Level, published["c1.t1.b2"]);
        Assert.NotEqual(Ranking.Revoked, published["c1.t1.b3"]);
        Assert.Single(await new AuditStore(tables).ReadAllAsync(campaignId), l => l.Entry!.Contains("\"action\":\"published\""));
        // The register holds each branch published with a level, once, active since the publication; not the revoked one.
        List<Honour> register = await honours.ReadCampaignAsync(campaignId);
        Assert.Equal(published.Where(p => p.Value is not (Ranking.Revoked or Ranking.NoLevel)).Select(p => p.Key).Order(),
            register.Select(h => h.BranchId).Order());
        Assert.All(register,
            h => Assert.True(h.Status == HonourStatus.Active && h.Since == input.PublishedAt && h.CurrentLevel == h.Level));
        Assert.Equal(0, (await campaigns.GetAsync(campaignId))!.Value.Record.StatementVersion); // to be signed next
    }

    [Fact]
    public async Task Changes_applied_together_are_signed_together_and_each_change_once()
    {
        await RunningCampaignAsync(3);
        await propose.RunAsync(proposeInput);
        var honours = new HonourStore(tables);
        var audit = new AuditStore(tables);
        await new PublishRatingsActivity(campaigns, ratings, new ObjectionStore(tables), audit, honours,
                NullLogger<PublishRatingsActivity>.Instance)
            .RunAsync(new PublishRatingsInput(campaignId, DateTimeOffset.UtcNow) { Register = true });
        var statements = new StatementStore(tables, new BlobServiceClient(AzuriteInstance.Shared.ConnectionString));
        await statements.EnsureContainerAsync();
        string keys = Directory.CreateTempSubdirectory("eval-keys-").FullName;
        using var signer = new LocalStatementSigner(new LocalKeyDirectory(keys));
        var issuer = new StatementIssuer(campaigns, ratings, honours, new EvaluationStore(tables), audit, statements, signer,
            TimeProvider.System);
        Assert.Equal(1, (await issuer.IssueAsync(campaignId, RatingsStatement.Published)).Version);

        async Task RevokeAsync(string branch)
        {
            var (honour, etag) = (await honours.GetAsync(campaignId, branch))!.Value;
            Assert.True(await honours.TryReplaceAsync(honour with
            {
                CurrentLevel = Ranking.NoLevel, Status = HonourStatus.Revoked, Since = DateTimeOffset.UtcNow, ReasonCategory = "veto",
            }, etag));
        }
        // Two changes applied before either is signed: the first signing covers both, the second finds its branch signed.
        await RevokeAsync("c1.t1.b1");
        await RevokeAsync("c1.t1.b2");
        Assert.Equal(2, (await issuer.IssueAsync(campaignId, RatingsStatement.ForChange("chg-a"), "c1.t1.b1")).Version);
        Assert.Equal(2, (await issuer.IssueAsync(campaignId, RatingsStatement.ForChange("chg-b"), "c1.t1.b2")).Version);
        Assert.Equal(2, (await issuer.IssueAsync(campaignId, RatingsStatement.ForChange("chg-a"), "c1.t1.b1")).Version);
        // A change applied after the newest list was signed is signed anew.
        await RevokeAsync("c1.t1.b3");
        StatementRecord third = await issuer.IssueAsync(campaignId, RatingsStatement.ForChange("chg-c"), "c1.t1.b3");
        Assert.Equal(3, third.Version);
        Assert.Equal(3, (await campaigns.GetAsync(campaignId))!.Value.Record.StatementVersion);

        string jws = (await statements.ReadJwsAsync(third))!;
        RatingsStatement signed = RatingsStatement.FromJson(CompactJws.Verify(jws, await signer.PublicKeysAsync())!)!;
        Assert.All(signed.Ratings, r => Assert.Equal(HonourStatus.Revoked, r.Status));
        Directory.Delete(keys, recursive: true);
    }

    /// <summary>A running campaign whose branches c1.t1.b1… are done, scored 95, 85, 75 … (the first one strongest).</summary>
    async Task RunningCampaignAsync(int branches)
    {
        // No quota: with two or three branches the Chifeng 30% would leave the top level empty.
        CampaignDefinition definition = ChifengCampaign.Definition(campaignId, "c1", "测试") with
        {
            Levels = [new Level("strongest", "最强党支部", 90), new Level("qualified", "合格党支部", 60)],
        };
        Assert.True(await campaigns.TryCreateAsync(new CampaignRecord
        {
            Definition = definition, Status = CampaignStatus.Running, CreatedAt = DateTimeOffset.UtcNow, CreatedBy = "org-1",
            BranchCount = branches,
        }));
        await new EvaluationStore(tables).CreateAsync(Enumerable.Range(1, branches).Select(i => new EvaluationRecord
        {
            CampaignId = campaignId, BranchId = $"c1.t1.b{i}", BranchName = $"c1.t1.b{i}", Stage = Stages.Done, Outcome = Outcomes.Scored,
            FinalScore = 105 - 10 * i, UnityShare = 0.9m,
        }));
    }
}
