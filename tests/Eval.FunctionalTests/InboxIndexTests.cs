using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.LocalHost.Cli;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.FunctionalTests;

/// <summary>
/// Table Inbox as RecordEvaluationActivity keeps it, on real tables: every change of stage or StageDeadline (a deadline
/// extended, say) moves the evaluation's items, a redelivered change leaves the same rows, and nothing stale stays behind.
/// </summary>
public sealed class InboxIndexTests : IAsyncLifetime
{
    const string Campaign = "inbox-index";
    const string Branch = "city.c1.t1.b1";
    static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-03-01T00:00:00Z");
    readonly StorageOptions storage = new() { TablePrefix = "ibx" + Guid.NewGuid().ToString("N")[..8] };
    readonly EvalTables tables;
    readonly EvaluationStore evaluations;
    readonly InboxIndex index;
    RecordEvaluationActivity activity = null!;
    readonly HistoryEntry started = new(Start, "system", "system", "started", "test");

    public InboxIndexTests()
    {
        tables = new(new TableServiceClient(AzuriteInstance.Shared.ConnectionString), storage);
        evaluations = new EvaluationStore(tables);
        index = new InboxIndex(tables, new CampaignStore(tables), new UnitStore(tables));
    }

    public async Task InitializeAsync()
    {
        await tables.EnsureCreatedAsync();
        activity = await TestActivities.RecordEvaluationAsync(tables, storage);
        await new CampaignStore(tables).TryCreateAsync(new CampaignRecord
        {
            Definition = ChifengCampaign.Definition(Campaign, "city.c1", "索引测试"), Status = CampaignStatus.Running,
            CreatedAt = Start, CreatedBy = "org",
        });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Items_follow_the_stage_and_its_deadline_and_a_redelivery_changes_nothing()
    {
        DateTimeOffset first = Start.AddDays(14), extended = Start.AddDays(21), review = Start.AddDays(30);
        var record = new EvaluationRecord
        {
            CampaignId = Campaign, BranchId = Branch, BranchName = "第1嘎查党支部", Stage = Stages.AwaitingSelfAssessment,
            StageDeadline = first, History = [started], AuditHead = AuditStore.FirstLinkHash(Campaign, Branch, started),
        };
        await new AuditStore(tables).StartChainsAsync(Campaign, [(Branch, started)]);
        await index.AddEvaluationsAsync([record]);
        await evaluations.CreateAsync([record]);
        Assert.Equal([first], (await RowsAsync()).Select(r => r.Due));

        // The deadline extended: the item moves to the new due time (a new key), the old one goes.
        EvaluationChange extend = Change(1, "deadline-extended") with { StageDeadline = extended };
        Assert.True(await activity.RunAsync(extend));
        InboxItem item = Assert.Single(await RowsAsync());
        Assert.Equal((Roles.BranchSecretary, Branch, extended, "self-assessment"), (item.Role, item.Unit, item.Due, item.Kind));
        Assert.False(await activity.RunAsync(extend));
        Assert.Single(await RowsAsync());

        // Submitted: the township's reviewer has it, and the county's scorer from its deadline on (escalated).
        Assert.True(await activity.RunAsync(Change(2, "self-assessment-submitted") with
        {
            Stage = Stages.AwaitingTownshipReview, StageDeadline = review,
        }));
        List<InboxItem> rows = await RowsAsync();
        Assert.Equal(2, rows.Count);
        InboxItem reviewer = Assert.Single(rows, r => r.Role == Roles.TownshipReviewer);
        Assert.Equal(("city.c1.t1", review, false), (reviewer.Unit, reviewer.Due, reviewer.Escalated));
        Assert.Null(reviewer.From);
        InboxItem scorer = Assert.Single(rows, r => r.Role == Roles.CountyScorer);
        Assert.Equal(("city.c1", review, true), (scorer.Unit, scorer.Due, scorer.Escalated));
        Assert.Equal(review, scorer.From);

        // Flagged overdue: the escalated item shows at once.
        Assert.True(await activity.RunAsync(Change(3, "township-review-overdue") with { Overdue = true }));
        Assert.Null(Assert.Single(await RowsAsync(), r => r.Role == Roles.CountyScorer).From);

        // Done: nothing waits.
        Assert.True(await activity.RunAsync(Change(4, "township-rejected") with
        {
            Stage = Stages.Done, Outcome = Outcomes.Rejected, ClearStageDeadline = true,
        }));
        Assert.Empty(await RowsAsync());
    }

    EvaluationChange Change(int seq, string action) =>
        new(Campaign, Branch, seq, new HistoryEntry(Start.AddDays(seq), "someone", "system", action));

    async Task<List<InboxItem>> RowsAsync()
    {
        var rows = new List<InboxItem>();
        await foreach (TableEntity e in tables.Table(EvalTables.Inbox).QueryAsync<TableEntity>())
            rows.Add(InboxReader.FromEntity(e));
        return rows;
    }
}
