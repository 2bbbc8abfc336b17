using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.FunctionalTests;

/// <summary>The campaign's own audit chain on real tables: a repeated request writes its link once.</summary>
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
}
