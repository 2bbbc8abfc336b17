using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Eval.FunctionalTests.Infrastructure;
using Eval.LocalHost.Cli;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.FunctionalTests;

/// <summary>
/// RecordEvaluationActivity on real tables: the record carries its audit chain's head, so a decision links without
/// reading the Audit table, and every crash window or redelivery still leaves one intact chain.
/// </summary>
public sealed class RecordEvaluationTests : IAsyncLifetime
{
    const string Campaign = "rec-campaign";
    const string Branch = "c1.t1.b1";
    readonly StorageOptions storage = new() { TablePrefix = "rec" + Guid.NewGuid().ToString("N")[..8] };
    readonly EvalTables tables;
    readonly EvaluationStore evaluations;
    readonly AuditStore audit;
    RecordEvaluationActivity activity = null!;
    readonly HistoryEntry started = new(DateTimeOffset.Parse("2026-03-01T00:00:00Z"), "system", "system", "started", "test");

    public RecordEvaluationTests()
    {
        tables = new(new TableServiceClient(AzuriteInstance.Shared.ConnectionString), storage);
        evaluations = new EvaluationStore(tables);
        audit = new AuditStore(tables);
    }

    // The activity writes what the evaluation waits for (table Inbox), which needs the campaign's definition.
    public async Task InitializeAsync()
    {
        await tables.EnsureCreatedAsync();
        activity = await TestActivities.RecordEvaluationAsync(tables, storage);
        await new CampaignStore(tables).TryCreateAsync(new CampaignRecord
        {
            Definition = ChifengCampaign.Definition(Campaign, "c1", "记录测试"), Status = CampaignStatus.Running,
            CreatedAt = started.Time, CreatedBy = "org",
        });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_started_record_carries_its_first_links_hash_and_each_decision_moves_the_head_without_reading_the_audit_table()
    {
        await StartAsync(withHead: true);
        Assert.Equal(AuditStore.FirstLinkHash(Campaign, Branch, started), (await RecordAsync()).AuditHead);

        Assert.True(await activity.RunAsync(Change(1, "self-assessment-submitted")));
        // The head must be the link's real hash: the verifier recomputes every link from the table.
        Assert.Equal((await audit.GetAsync(Campaign, Branch, 1))!.Hash(), (await RecordAsync()).AuditHead);

        // Without link 1 readable, only the head can chain link 2 to it.
        TableEntity one = tables.Table(EvalTables.Audit).GetEntity<TableEntity>(Campaign, AuditStore.RowKey(Branch, 1)).Value;
        await tables.Table(EvalTables.Audit).DeleteEntityAsync(Campaign, one.RowKey);
        Assert.True(await activity.RunAsync(Change(2, "township-approved")));
        await tables.Table(EvalTables.Audit).AddEntityAsync(one);

        Assert.Equal(2, (await RecordAsync()).Seq);
        await AssertIntactAsync(links: 3);
    }

    [Fact]
    public async Task A_redelivered_decision_changes_nothing()
    {
        await StartAsync(withHead: true);
        Assert.True(await activity.RunAsync(Change(1, "self-assessment-submitted")));
        var (_, etag) = (await evaluations.GetAsync(Campaign, Branch))!.Value;

        Assert.False(await activity.RunAsync(Change(1, "self-assessment-submitted")));

        Assert.Equal(etag, (await evaluations.GetAsync(Campaign, Branch))!.Value.ETag);
        await AssertIntactAsync(links: 2);
    }

    [Fact]
    public async Task A_crash_after_the_link_and_before_the_record_is_finished_by_the_redelivery()
    {
        await StartAsync(withHead: true);
        HistoryEntry entry = Change(1, "self-assessment-submitted").Entry;
        await audit.AppendAsync(Campaign, Branch, 1, entry, AuditStore.FirstLinkHash(Campaign, Branch, started));

        Assert.True(await activity.RunAsync(Change(1, "self-assessment-submitted")));

        Assert.Equal(1, (await RecordAsync()).Seq);
        await AssertIntactAsync(links: 2);
    }

    [Fact]
    public async Task Records_written_before_the_head_was_kept_chain_by_reading_and_a_lost_link_is_written_again()
    {
        await StartAsync(withHead: false);
        Assert.True(await activity.RunAsync(Change(1, "self-assessment-submitted")));

        // The old order wrote the record before the link: a crash between them left the record at Seq 2, no link 2.
        var (record, etag) = (await evaluations.GetAsync(Campaign, Branch))!.Value;
        EvaluationChange two = Change(2, "township-approved");
        await tables.Table(EvalTables.Evaluations).UpdateEntityAsync(
            EvaluationStore.ToEntity(two.ApplyTo(record) with { AuditHead = null }), etag, TableUpdateMode.Replace);

        Assert.False(await activity.RunAsync(two));

        Assert.NotNull(await audit.GetAsync(Campaign, Branch, 2));
        await AssertIntactAsync(links: 3);
    }

    [Fact]
    public async Task A_decision_linked_and_not_yet_recorded_verifies_while_running_but_not_once_done_nor_with_a_wrong_head()
    {
        await StartAsync(withHead: true);
        Assert.True(await activity.RunAsync(Change(1, "self-assessment-submitted")));
        // The next decision in flight: its link is written, its record not yet (what a verify in a busy campaign reads).
        await audit.AppendAsync(Campaign, Branch, 2, Change(2, "township-approved").Entry, (await RecordAsync()).AuditHead);
        await AssertIntactAsync(links: 3);

        // A finished evaluation decides nothing more: a link past its record is one too many.
        var (record, etag) = (await evaluations.GetAsync(Campaign, Branch))!.Value;
        await tables.Table(EvalTables.Evaluations).UpdateEntityAsync(EvaluationStore.ToEntity(record with { Stage = Stages.Done }), etag,
            TableUpdateMode.Replace);
        Assert.False((await VerifyAsync()).Intact);

        // A record that points at another link than its chain holds at its Seq.
        (record, etag) = (await evaluations.GetAsync(Campaign, Branch))!.Value;
        await tables.Table(EvalTables.Evaluations).UpdateEntityAsync(
            EvaluationStore.ToEntity(record with { Stage = Stages.AwaitingTownshipReview, AuditHead = new string('0', 64) }), etag,
            TableUpdateMode.Replace);
        AuditVerification wrongHead = await VerifyAsync();
        Assert.False(wrongHead.Intact);
        Assert.Contains("points at another link", wrongHead.FirstBreak!.Problem);
    }

    async Task StartAsync(bool withHead)
    {
        await evaluations.CreateAsync([new EvaluationRecord
        {
            CampaignId = Campaign, BranchId = Branch, BranchName = "Branch", Stage = Stages.AwaitingSelfAssessment,
            History = [started], AuditHead = withHead ? AuditStore.FirstLinkHash(Campaign, Branch, started) : null,
        }]);
        await audit.StartChainsAsync(Campaign, [(Branch, started)]);
    }

    async Task<EvaluationRecord> RecordAsync() => (await evaluations.GetAsync(Campaign, Branch))!.Value.Record;

    EvaluationChange Change(int seq, string action) =>
        new(Campaign, Branch, seq, new HistoryEntry(started.Time.AddDays(seq), "someone", "branch-secretary", action))
        {
            Stage = Stages.AwaitingTownshipReview,
        };

    Task<AuditVerification> VerifyAsync() =>
        new AuditVerifier(audit, evaluations, new RatingStore(tables), new EvidenceStore(tables),
            new EvidenceBlobs(new BlobServiceClient(AzuriteInstance.Shared.ConnectionString), TimeProvider.System),
            new HonourChangeStore(tables))
            .VerifyAsync(Campaign, published: false);

    async Task AssertIntactAsync(int links)
    {
        AuditVerification verified = await VerifyAsync();
        Assert.True(verified.Intact, verified.FirstBreak?.ToString());
        Assert.Equal(links, verified.Links);
    }
}
