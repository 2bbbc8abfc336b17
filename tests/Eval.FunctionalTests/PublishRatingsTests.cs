using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Eval.FunctionalTests;

/// <summary>
/// PublishRatingsActivity on real tables. An objection can be marked upheld and its revocation never written (the
/// resolving request died in between): the published list still carries the revocation.
/// </summary>
public sealed class PublishRatingsTests : IAsyncLifetime
{
    readonly EvalTables tables = new(new TableServiceClient(AzuriteInstance.Shared.ConnectionString),
        new StorageOptions { TablePrefix = "pub" + Guid.NewGuid().ToString("N")[..8] });
    readonly string campaignId = "pub-" + Guid.NewGuid().ToString("N")[..8];

    public Task InitializeAsync() => tables.EnsureCreatedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_upheld_objection_revokes_the_level_on_the_published_list_even_if_its_revocation_was_never_written()
    {
        var campaigns = new CampaignStore(tables);
        var ratings = new RatingStore(tables);
        var objections = new ObjectionStore(tables);
        var definition = new CampaignDefinition(campaignId, "测试", "c1",
            new Rubric([new Criterion("unity", "民族团结进步", 100, Unity: true)], 1.5m, 0.5m, []),
            [new Level("strongest", "最强党支部", 90), new Level("qualified", "合格党支部", 60)], new Schedule("P30D", "P10D", "P10D", "P7D"));
        Assert.True(await campaigns.TryCreateAsync(new CampaignRecord
        {
            Definition = definition, Status = CampaignStatus.Running, CreatedAt = DateTimeOffset.UtcNow, CreatedBy = "org-1", BranchCount = 3,
        }));
        await new EvaluationStore(tables).CreateAsync(new[] { "c1.t1.b1", "c1.t1.b2", "c1.t1.b3" }.Select((b, i) => new EvaluationRecord
        {
            CampaignId = campaignId, BranchId = b, BranchName = b, Stage = Stages.Done, Outcome = Outcomes.Scored, FinalScore = 95 - 10 * i, UnityShare = 0.9m,
        }));
        await new ProposeRatingsActivity(campaigns, new EvaluationStore(tables), ratings, NullLogger<ProposeRatingsActivity>.Instance)
            .RunAsync(new ProposeRatingsInput(campaignId, DateTimeOffset.UtcNow.AddDays(7)));
        Assert.Equal("strongest", (await ratings.GetProposedAsync(campaignId, "c1.t1.b1"))!.Level);

        // Upheld on b1 (its revocation not written); dismissed on b2; b3 has none.
        var member = new Actor("member-1", "群众", "member");
        var org = new Actor("org-1", "组织部", "org-department");
        Assert.True(await objections.TryAddAsync(new ObjectionRecord(campaignId, "obj-" + new string('a', 32), "c1.t1.b1", "材料不实", member, DateTimeOffset.UtcNow)
            { Status = ObjectionStatus.Upheld, ResolvedBy = org, ResolvedAt = DateTimeOffset.UtcNow, Comment = "属实" }));
        Assert.True(await objections.TryAddAsync(new ObjectionRecord(campaignId, "obj-" + new string('b', 32), "c1.t1.b2", "有疑问", member, DateTimeOffset.UtcNow)
            { Status = ObjectionStatus.Dismissed, ResolvedBy = org, ResolvedAt = DateTimeOffset.UtcNow, Comment = "不属实" }));
        string b2Level = (await ratings.GetProposedAsync(campaignId, "c1.t1.b2"))!.Level;

        var publish = new PublishRatingsActivity(campaigns, ratings, objections, new AuditStore(tables), NullLogger<PublishRatingsActivity>.Instance);
        var input = new PublishRatingsInput(campaignId, DateTimeOffset.UtcNow);
        Assert.Equal(3, await publish.RunAsync(input));
        Assert.Equal(3, await publish.RunAsync(input)); // delivered again: the same list, one seal

        Dictionary<string, string> published = (await ratings.ReadPublishedAsync(campaignId)).ToDictionary(r => r.BranchId, r => r.Level);
        Assert.Equal(Ranking.Revoked, published["c1.t1.b1"]);
        Assert.Equal(b2Level, published["c1.t1.b2"]);
        Assert.NotEqual(Ranking.Revoked, published["c1.t1.b3"]);
        Assert.Single((await new AuditStore(tables).ReadAllAsync(campaignId)), l => l.Entry!.Contains("\"action\":\"published\""));
    }
}
