using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.FunctionalTests;

/// <summary>
/// The campaign's own audit chain and the honour changes' chains on real tables: a repeated request writes its link
/// once; steps of many changes at once each land on their change's chain; changes linked before each had a chain verify.
/// </summary>
public sealed class CampaignChainTests : IAsyncLifetime
{
    readonly EvalTables tables = new(new TableServiceClient(AzuriteInstance.Shared.ConnectionString),
        new StorageOptions { TablePrefix = "cch" + Guid.NewGuid().ToString("N")[..8] });

    public Task InitializeAsync() => tables.EnsureCreatedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_same_entry_appended_again_is_linked_once_and_another_one_after_it()
    {
        var audit = new AuditStore(tables);
        var at = new DateTimeOffset(2026, 11, 30, 2, 0, 0, 123, TimeSpan.Zero);
        var upheld = new HistoryEntry(at, "org-1", "org-department", "objection-upheld", "obj-1 on c1.t1.b1: 属实");

        await audit.AppendToCampaignAsync("c1", upheld);
        await audit.AppendToCampaignAsync("c1", upheld);                       // the resolution's request, repeated
        await audit.AppendToCampaignAsync("c1", upheld with { Time = at.AddSeconds(1) }); // a later event with the same words

        var links = await audit.ReadAllAsync("c1");
        Assert.Equal(["campaign|000000", "campaign|000001"], links.Select(l => l.RowKey));
        var verifier = new AuditVerifier(audit, new EvaluationStore(tables), new RatingStore(tables), new EvidenceStore(tables),
            new EvidenceBlobs(new BlobServiceClient(AzuriteInstance.Shared.ConnectionString), TimeProvider.System),
            new HonourChangeStore(tables));
        Assert.True((await verifier.VerifyAsync("c1", published: false)).Intact);
    }

    [Fact]
    public async Task Fifty_changes_linked_at_once_each_get_a_chain_opened_by_their_proposal_and_the_campaign_chain_none()
    {
        var audit = new AuditStore(tables);
        var changes = new HonourChangeStore(tables);
        HonourChange[] proposed = [.. Enumerable.Range(0, 50).Select(i => Change($"c1.t1.t1.b{i:D2}"))];
        foreach (HonourChange change in proposed)
            Assert.Equal(HonourChangeStore.ProposeOutcome.Proposed, (await changes.ProposeAsync(change)).Outcome);

        // Each change's proposal and a step of it, all at once and each twice (a request and its repeat).
        await Task.WhenAll(proposed.SelectMany(c => new[]
        {
            audit.AppendToChangeAsync(c), audit.AppendToChangeAsync(c, Step(c)), audit.AppendToChangeAsync(c, Step(c)),
        }));

        var links = await audit.ReadAllAsync("c1");
        Assert.Equal(100, links.Count);
        Assert.DoesNotContain(links, l => l.RowKey.StartsWith(AuditEntry.CampaignChain, StringComparison.Ordinal));
        foreach (HonourChange c in proposed)
            Assert.Equal([$"{c.Id}|000000", $"{c.Id}|000001"], links.Where(l => l.RowKey.StartsWith(c.Id, StringComparison.Ordinal))
                .Select(l => l.RowKey));
        Assert.Equal(50, (await audit.ChangeChainHeadsAsync("c1")).Count);
        Assert.True((await Verifier(audit).VerifyAsync("c1", published: false)).Intact);
    }

    [Fact]
    public async Task A_change_linked_into_the_campaign_chain_before_changes_had_chains_verifies_and_one_with_no_link_does_not()
    {
        var audit = new AuditStore(tables);
        var changes = new HonourChangeStore(tables);
        HonourChange legacy = Change("c1.t1.t1.b01");
        await changes.ProposeAsync(legacy);
        var (stored, etag) = (await changes.GetAsync("c1", legacy.BranchId, legacy.Id))!.Value;
        Assert.True(await changes.TryReplaceAsync(stored with { Status = HonourChangeStatus.Approved }, etag));
        await audit.AppendToCampaignAsync("c1", HonourChangeAudit.Proposal(legacy));
        Assert.True((await Verifier(audit).VerifyAsync("c1", published: false)).Intact);

        HonourChange unlinked = Change("c1.t1.t1.b02");
        await changes.ProposeAsync(unlinked);
        Assert.True((await Verifier(audit).VerifyAsync("c1", published: false)).Intact); // proposed: its link may be on its way
        (stored, etag) = (await changes.GetAsync("c1", unlinked.BranchId, unlinked.Id))!.Value;
        Assert.True(await changes.TryReplaceAsync(stored with { Status = HonourChangeStatus.Approved }, etag));
        AuditVerification result = await Verifier(audit).VerifyAsync("c1", published: false);
        Assert.False(result.Intact);
        Assert.Equal(unlinked.Id, result.FirstBreak!.Chain);
        Assert.Contains("no audit chain", result.FirstBreak.Problem, StringComparison.Ordinal);
    }

    AuditVerifier Verifier(AuditStore audit) => new(audit, new EvaluationStore(tables), new RatingStore(tables), new EvidenceStore(tables),
        new EvidenceBlobs(new BlobServiceClient(AzuriteInstance.Shared.ConnectionString), TimeProvider.System),
        new HonourChangeStore(tables));

    static readonly DateTimeOffset ProposedAt = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    static HonourChange Change(string branch) => new()
    {
        CampaignId = "c1", BranchId = branch, Id = HonourChangeIds.New(), Kind = HonourChangeKinds.Revoke, FromLevel = "strongest",
        ToLevel = Ranking.Revoked, ReasonCategory = HonourReasons.Veto, Description = "一票否决事项", Evidence = [],
        ProposedBy = new Actor("scorer-1", "评分人", "county-scorer"), ProposedAt = ProposedAt, DecisionDue = ProposedAt.AddDays(10),
        Status = HonourChangeStatus.Proposed,
    };

    static HistoryEntry Step(HonourChange c) =>
        new(ProposedAt.AddHours(1), SystemActor.Instance.Id, SystemActor.Instance.Role, HonourChangeActions.Overdue,
            HonourChangeAudit.Detail(c));
}
