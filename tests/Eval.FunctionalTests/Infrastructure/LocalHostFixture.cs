using Azure.Data.Tables;

namespace Eval.FunctionalTests.Infrastructure;

/// <summary>One local host process on the shared Azurite, with its own task hub and table prefix, per test class.</summary>
public sealed class LocalHostFixture : IAsyncLifetime
{
    public string Hub { get; } = LocalHostProcess.NewHubName();
    public string TablePrefix { get; } = "t" + Guid.NewGuid().ToString("N")[..8];
    public LocalHostProcess Host { get; private set; } = null!;
    public HttpClient Http => Host.Http;
    public TableServiceClient Tables { get; } = new(AzuriteInstance.Shared.ConnectionString);

    public TableClient Table(string logicalName) => Tables.GetTableClient(TablePrefix + logicalName);

    public async Task InitializeAsync() =>
        Host = await LocalHostProcess.StartAsync(AzuriteInstance.Shared.ConnectionString, Hub,
            settings: new Dictionary<string, string> { ["Storage__TablePrefix"] = TablePrefix });

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
