using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Activities;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.FunctionalTests;

/// <summary>
/// RecordSelfTestActivity on real tables. Seen in a fresh-clone run: after a SIGKILL, the self-test's first step
/// ("waiting") was delivered again and ran just after its outcome had been written, and the row said waiting for ever.
/// </summary>
public sealed class RecordSelfTestTests : IAsyncLifetime
{
    readonly EvalTables tables = new(new TableServiceClient(AzuriteInstance.Shared.ConnectionString),
        new StorageOptions { TablePrefix = "rst" + Guid.NewGuid().ToString("N")[..8] });
    readonly SelfTestRecord waiting = new("st-" + Guid.NewGuid().ToString("N")[..8], SelfTestStatus.Waiting, "org-1",
        DateTimeOffset.Parse("2026-03-01T01:00:00Z"), At: DateTimeOffset.Parse("2026-03-01T00:00:00Z"));

    public Task InitializeAsync() => tables.EnsureCreatedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    async Task<TableEntity> RowAsync() =>
        (await tables.Table(EvalTables.SelfTests).GetEntityAsync<TableEntity>(RecordSelfTestActivity.PartitionKey, waiting.Id)).Value;

    [Fact]
    public async Task A_redelivered_waiting_step_does_not_undo_the_outcome()
    {
        var activity = new RecordSelfTestActivity(tables);
        Assert.True(await activity.RunAsync(waiting));
        Assert.False(await activity.RunAsync(waiting)); // a replay of the same step: already there
        Assert.Equal(SelfTestStatus.Waiting, (await RowAsync()).GetString("Status"));

        await activity.RunAsync(
            waiting with { Status = SelfTestStatus.Confirmed, ConfirmedBy = "org-2", At = waiting.At!.Value.AddMinutes(5) });
        Assert.False(await activity.RunAsync(waiting)); // the first step's message delivered again, after the outcome

        TableEntity row = await RowAsync();
        Assert.Equal(SelfTestStatus.Confirmed, row.GetString("Status"));
        Assert.Equal("org-2", row.GetString("ConfirmedBy"));
    }
}
