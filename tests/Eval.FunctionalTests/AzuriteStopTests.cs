using System.Diagnostics;
using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.LocalHost;

namespace Eval.FunctionalTests;

/// <summary>
/// `./eval down` stops Azurite's services with SIGTERM. Each saves its store to disk every 5 s, so a stop must save
/// what came since: azurite-table did so on SIGINT only, and a stop right after a write lost it (fixed in
/// patches/azurite+3.37.0.patch). The host's accepted actions are table writes, so this is the "never lost" promise.
/// </summary>
public sealed class AzuriteStopTests
{
    [Fact]
    public async Task A_table_write_just_before_a_graceful_stop_is_there_after_a_restart()
    {
        string data = Directory.CreateTempSubdirectory("eval-azurite-stop-").FullName;
        int port = FreePort.Next();
        string connection = AzuriteInstance.Connection(FreePort.Next(), FreePort.Next(), port);
        Process table = AzuriteInstance.LaunchService("table", port, data);
        try
        {
            var client = new TableServiceClient(connection).GetTableClient("StopTest");
            await client.CreateIfNotExistsAsync();
            // Several writes, each followed at once by a stop and a restart: none may fall between two autosaves.
            for (int round = 0; round < 3; round++)
            {
                await client.UpsertEntityAsync(new TableEntity("p", $"r{round}") { ["Round"] = round });
                AzuriteInstance.StopService(table);
                Assert.Equal(0, table.ExitCode); // closed by its handler: not ended by the signal, nor killed after the grace
                table.Dispose();
                table = AzuriteInstance.LaunchService("table", port, data);

                TableEntity kept = (await client.GetEntityAsync<TableEntity>("p", $"r{round}")).Value;
                Assert.Equal(round, kept.GetInt32("Round"));
            }
        }
        finally
        {
            AzuriteInstance.StopService(table);
            table.Dispose();
            Directory.Delete(data, recursive: true);
        }
    }
}
