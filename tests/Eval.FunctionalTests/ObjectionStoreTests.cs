using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.FunctionalTests;

/// <summary>
/// The objection limits on real tables, under simultaneous filings by one person: they are kept by the storage
/// transaction each filing is, not by a check that two requests could both pass.
/// </summary>
public sealed class ObjectionStoreTests : IAsyncLifetime
{
    readonly EvalTables tables = new(new TableServiceClient(AzuriteInstance.Shared.ConnectionString),
        new StorageOptions { TablePrefix = "ost" + Guid.NewGuid().ToString("N")[..8] });
    readonly string campaignId = "ost-" + Guid.NewGuid().ToString("N")[..8];
    readonly ObjectionStore store;

    public ObjectionStoreTests() => store = new ObjectionStore(tables);

    public Task InitializeAsync() => tables.EnsureCreatedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    ObjectionRecord Objection(string filer, string branch) =>
        new(campaignId, ObjectionIds.New(DateTimeOffset.UtcNow), branch, "材料不实", new Actor(filer, "群众", "member"),
            DateTimeOffset.UtcNow);

    [Fact]
    public async Task Simultaneous_filings_by_one_person_stop_at_the_limit()
    {
        ObjectionStore.FileResult[] results = await Task.WhenAll(Enumerable.Range(1, 8)
            .Select(i => store.FileAsync(Objection("member-1", $"c1.t1.b{i}"), maxPerFiler: 3)));

        Assert.Equal(3, results.Count(r => r.Outcome == ObjectionStore.FileOutcome.Filed));
        Assert.All(results, r => Assert.NotEqual(ObjectionStore.FileOutcome.OpenOnBranch, r.Outcome));
        Assert.Equal(3, await CountRowsAsync());
        // Another person is not held back by the first one's limit.
        Assert.Equal(ObjectionStore.FileOutcome.Filed, (await store.FileAsync(Objection("member-2", "c1.t1.b1"), maxPerFiler: 3)).Outcome);
    }

    [Fact]
    public async Task Simultaneous_filings_on_one_branch_leave_one_open_and_a_resolution_frees_the_branch()
    {
        ObjectionStore.FileResult[] results = await Task.WhenAll(Enumerable.Range(1, 6)
            .Select(_ => store.FileAsync(Objection("member-1", "c1.t1.b1"), maxPerFiler: 10)));

        Assert.Single(results, r => r.Outcome == ObjectionStore.FileOutcome.Filed);
        Assert.Equal(1, await CountRowsAsync());
        Assert.Equal(1, await store.CountOpenAsync(campaignId));

        string openId = (await FirstAsync()).Id;
        Assert.Equal(new ObjectionStore.FileResult(ObjectionStore.FileOutcome.OpenOnBranch, openId),
            await store.FileAsync(Objection("member-1", "c1.t1.b1"), maxPerFiler: 10));
        var (open, etag) = (await store.GetAsync(campaignId, openId))!.Value;
        Assert.True(await store.TryResolveAsync(open with { Status = ObjectionStatus.Dismissed, Comment = "不属实" }, etag));
        // Resolved meanwhile: a second resolution with the old ETag is refused.
        Assert.False(await store.TryResolveAsync(open with { Status = ObjectionStatus.Upheld, Comment = "属实" }, etag));
        Assert.Equal(ObjectionStore.FileOutcome.Filed, (await store.FileAsync(Objection("member-1", "c1.t1.b1"), maxPerFiler: 10)).Outcome);
    }

    async Task<int> CountRowsAsync()
    {
        int n = 0;
        await foreach (var _ in store.Query(campaignId, null, null, 100)) n++;
        return n;
    }

    async Task<ObjectionRecord> FirstAsync()
    {
        await foreach (TableEntity e in store.Query(campaignId, null, null, 100)) return ObjectionStore.FromEntity(e);
        throw new InvalidOperationException("no objection");
    }
}
