using Azure.Identity;
using Eval.Api;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Eval.UnitTests.Api;

/// <summary>
/// AzureWebJobsStorage as a connection string (Azurite) and in the identity-based form Azure uses. Settings arrive
/// as environment variables (AzureWebJobsStorage__accountName), which configuration reads as "AzureWebJobsStorage:accountName".
/// </summary>
public sealed class StorageConnectionTests
{
    const string Azurite =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";
    const string ClientId = "11111111-2222-3333-4444-555555555555";

    static IConfiguration Settings(params (string Name, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Name.Replace("__", ":"), s.Value)))
            .Build();

    [Fact]
    public void A_connection_string_is_used_as_it_is()
    {
        StorageConnection connection = StorageConnection.Read(Settings(("AzureWebJobsStorage", Azurite)));

        Assert.False(connection.IsIdentityBased);
        Assert.Equal(Azurite, connection.ConnectionString);
        Assert.Null(connection.TableServiceUri);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), connection.CreateTableServiceClient().Uri);
    }

    [Fact]
    public void A_connection_string_wins_over_identity_settings_as_in_the_Functions_host()
    {
        StorageConnection connection = StorageConnection.Read(Settings(
            ("AzureWebJobsStorage", Azurite), ("AzureWebJobsStorage__accountName", "stevalprod01")));

        Assert.False(connection.IsIdentityBased);
        Assert.Equal(Azurite, connection.ConnectionString);
    }

    [Fact]
    public void Account_name_with_a_user_assigned_identity_gives_the_public_table_endpoint_and_that_identity()
    {
        StorageConnection connection = StorageConnection.Read(Settings(
            ("AzureWebJobsStorage__accountName", "stevalprod01"),
            ("AzureWebJobsStorage__credential", "managedidentity"),
            ("AzureWebJobsStorage__clientId", ClientId)));

        Assert.True(connection.IsIdentityBased);
        Assert.Null(connection.ConnectionString);
        Assert.Equal(new Uri("https://stevalprod01.table.core.windows.net"), connection.TableServiceUri);
        Assert.Equal("managedidentity", connection.Credential);
        Assert.Equal(ClientId, connection.ClientId);
        Assert.IsType<ManagedIdentityCredential>(connection.CreateCredential());
        Assert.Equal("stevalprod01", connection.CreateTableServiceClient().AccountName);
    }

    [Fact]
    public void The_table_service_uri_wins_over_the_account_name()
    {
        // Sovereign clouds have other endpoint suffixes: the URI is how they are reached.
        StorageConnection connection = StorageConnection.Read(Settings(
            ("AzureWebJobsStorage__accountName", "stevalprod01"),
            ("AzureWebJobsStorage__tableServiceUri", "https://stevalprod01.table.core.chinacloudapi.cn/"),
            ("AzureWebJobsStorage__credential", "ManagedIdentity")));

        Assert.Equal(new Uri("https://stevalprod01.table.core.chinacloudapi.cn/"), connection.TableServiceUri);
        Assert.Equal("managedidentity", connection.Credential);
        Assert.Null(connection.ClientId);
        Assert.IsType<ManagedIdentityCredential>(connection.CreateCredential());
    }

    [Fact]
    public void Without_a_credential_setting_the_default_Azure_credential_is_used()
    {
        StorageConnection connection = StorageConnection.Read(Settings(("AzureWebJobsStorage__accountName", "stevalprod01")));

        Assert.Null(connection.Credential);
        Assert.IsType<DefaultAzureCredential>(connection.CreateCredential());
    }

    [Fact]
    public void Neither_form_names_both_in_the_error()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => StorageConnection.Read(Settings(("AzureWebJobsStorage__clientId", ClientId))));

        Assert.Contains("Setting 'AzureWebJobsStorage' is missing", error.Message);
        Assert.Contains("connection string", error.Message);
        Assert.Contains("AzureWebJobsStorage__accountName", error.Message);
        Assert.Contains("AzureWebJobsStorage__tableServiceUri", error.Message);
        Assert.Contains("AzureWebJobsStorage__credential", error.Message);
        Assert.Contains("AzureWebJobsStorage__clientId", error.Message);
    }

    [Fact]
    public void A_blank_connection_string_counts_as_missing()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StorageConnection.Read(Settings(("AzureWebJobsStorage", "  "))));

        Assert.Contains("is missing", error.Message);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage__credential", "clientsecret", "AzureWebJobsStorage__credential")]
    [InlineData("AzureWebJobsStorage__accountName", "St-Eval", "AzureWebJobsStorage__accountName")]
    [InlineData("AzureWebJobsStorage__tableServiceUri", "stevalprod01.table.core.windows.net", "AzureWebJobsStorage__tableServiceUri")]
    public void A_malformed_identity_setting_is_named_in_the_error(string name, string value, string named)
    {
        var settings = new List<(string, string)> { (name, value) };
        if (name != "AzureWebJobsStorage__accountName") settings.Add(("AzureWebJobsStorage__accountName", "stevalprod01"));

        var error = Assert.Throws<InvalidOperationException>(() => StorageConnection.Read(Settings([.. settings])));

        Assert.Contains($"'{named}'", error.Message);
    }

    [Fact]
    public void The_services_the_hosts_share_resolve_a_table_client_from_the_identity_form()
    {
        // The same wiring both hosts call: no network is touched until the first request.
        var services = new ServiceCollection();
        services.AddEvalApi(Settings(("AzureWebJobsStorage__accountName", "stevalprod01"),
            ("AzureWebJobsStorage__credential", "managedidentity"), ("AzureWebJobsStorage__clientId", ClientId)));
        using var provider = services.BuildServiceProvider();

        var tables = provider.GetRequiredService<EvalTables>();

        Assert.Equal("stevalprod01", tables.Service.AccountName);
    }
}
