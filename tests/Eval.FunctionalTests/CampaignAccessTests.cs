using Azure.Data.Tables;
using Eval.Api.Http;
using Eval.Application;
using Eval.FunctionalTests.Infrastructure;
using Eval.LocalHost.Cli;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.AspNetCore.Http;

namespace Eval.FunctionalTests;

/// <summary>
/// The evaluation steps' campaign lookup on real tables: a started campaign's definition is read once per host, and
/// a campaign not started yet is read every time (its start must be seen as soon as it happens).
/// </summary>
public sealed class CampaignAccessTests : IAsyncLifetime
{
    const string Id = "access-2026";
    readonly EvalTables tables = new(new TableServiceClient(AzuriteInstance.Shared.ConnectionString),
        new StorageOptions { TablePrefix = "acc" + Guid.NewGuid().ToString("N")[..8] });
    readonly CampaignStore campaigns;
    readonly CampaignAccess access;

    public CampaignAccessTests()
    {
        campaigns = new CampaignStore(tables);
        access = new CampaignAccess(campaigns);
    }

    public Task InitializeAsync() => tables.EnsureCreatedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_campaign_is_read_until_it_has_started_and_then_kept()
    {
        Assert.Equal(StatusCodes.Status404NotFound, Status((await access.LoadStartedAsync(Id, default)).Problem));

        await campaigns.TryCreateAsync(new CampaignRecord
        {
            Definition = Definition("before the start"), Status = CampaignStatus.Created,
            CreatedAt = DateTimeOffset.UtcNow, CreatedBy = "org",
        });
        var created = await access.LoadStartedAsync(Id, default);
        Assert.Null(created.Started);
        Assert.Equal(CampaignStatus.Created, created.NotStarted!.Status);

        await campaigns.UpdateAsync(Id, c => c with { Status = CampaignStatus.Running, BranchCount = 3 });
        Assert.Equal("before the start", (await access.LoadStartedAsync(Id, default)).Started!.Title);

        // Kept: a change to the stored row (which the API never makes to a started campaign's definition) is not read.
        await campaigns.UpdateAsync(Id, c => c with { Definition = Definition("changed behind the API's back") });
        Assert.Equal("before the start", (await access.LoadStartedAsync(Id, default)).Started!.Title);
        // Another host instance reads it afresh.
        Assert.Equal("changed behind the API's back", (await new CampaignAccess(campaigns).LoadStartedAsync(Id, default)).Started!.Title);
    }

    static int? Status(Problem? problem) => problem is null ? null : Problems.StatusOf(problem.Kind);

    static CampaignDefinition Definition(string title) => ChifengCampaign.Definition(Id, "chifeng.hongshan", title);
}
