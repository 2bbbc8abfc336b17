using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Eval.FunctionalTests;

/// <summary>
/// ProposeRatingsActivity on real tables. Its message can be delivered again after a crash (30 s later), while the
/// notice has moved on: an upheld objection must stay upheld, and a published campaign must stay published.
/// </summary>
public sealed class ProposeRatingsTests : IAsyncLifetime
{
    readonly EvalTables tables = new(new TableServiceClient(AzuriteInstance.Shared.ConnectionString),
        new StorageOptions { TablePrefix = "prt" + Guid.NewGuid().ToString("N")[..8] });
    readonly string campaignId = "prt-" + Guid.NewGuid().ToString("N")[..8];

    public Task InitializeAsync() => tables.EnsureCreatedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_repeat_after_the_notice_opened_changes_nothing()
    {
        var campaigns = new CampaignStore(tables);
        var ratings = new RatingStore(tables);
        var definition = new CampaignDefinition(campaignId, "测试", "c1",
            new Rubric([new Criterion("unity", "民族团结进步", 100, Unity: true)], 1.5m, 0.5m, []),
            [new Level("strongest", "最强党支部", 90), new Level("qualified", "合格党支部", 60)], new Schedule("P30D", "P10D", "P10D", "P7D"));
        Assert.True(await campaigns.TryCreateAsync(new CampaignRecord
        {
            Definition = definition, Status = CampaignStatus.Running, CreatedAt = DateTimeOffset.UtcNow, CreatedBy = "org-1", BranchCount = 2,
        }));
        await new EvaluationStore(tables).CreateAsync(new[] { "c1.t1.b1", "c1.t1.b2" }.Select((b, i) => new EvaluationRecord
        {
            CampaignId = campaignId, BranchId = b, BranchName = b, Stage = Stages.Done, Outcome = Outcomes.Scored, FinalScore = 95 - 20 * i, UnityShare = 0.9m,
        }));
        var activity = new ProposeRatingsActivity(campaigns, new EvaluationStore(tables), ratings, NullLogger<ProposeRatingsActivity>.Instance);
        var input = new ProposeRatingsInput(campaignId, DateTimeOffset.UtcNow.AddDays(7));

        Assert.Equal(2, await activity.RunAsync(input));
        Assert.Equal("strongest", (await ratings.GetProposedAsync(campaignId, "c1.t1.b1"))!.Level);
        await ratings.RevokeAsync(campaignId, "c1.t1.b1"); // an objection upheld during the notice

        Assert.Equal(2, await activity.RunAsync(input)); // the same message, delivered again
        Assert.Equal(Ranking.Revoked, (await ratings.GetProposedAsync(campaignId, "c1.t1.b1"))!.Level);

        await campaigns.UpdateAsync(campaignId, c => c with { Status = CampaignStatus.Published });
        await activity.RunAsync(input);
        Assert.Equal(CampaignStatus.Published, (await campaigns.GetAsync(campaignId))!.Value.Record.Status);
    }
}
