using Azure.Data.Tables;

namespace Eval.FunctionalTests.Infrastructure;

/// <summary>
/// One local host process on the shared Azurite, with its own task hub and table prefix, per test class. A fixture of
/// another configuration derives from it and adds its settings (<see cref="Settings"/>).
/// </summary>
public class LocalHostFixture : IAsyncLifetime
{
    public string Hub { get; } = LocalHostProcess.NewHubName();
    public string TablePrefix { get; } = "t" + Guid.NewGuid().ToString("N")[..8];
    public LocalHostProcess Host { get; private set; } = null!;
    public HttpClient Http => Host.Http;
    public TableServiceClient Tables { get; } = new(AzuriteInstance.Shared.ConnectionString);

    public TableClient Table(string logicalName) => Tables.GetTableClient(TablePrefix + logicalName);

    /// <summary>The host's settings beyond the storage, task hub and table prefix every fixture sets.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    public async Task InitializeAsync() =>
        Host = await LocalHostProcess.StartAsync(AzuriteInstance.Shared.ConnectionString, Hub,
            settings: new Dictionary<string, string>(Settings) { ["Storage__TablePrefix"] = TablePrefix });

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
