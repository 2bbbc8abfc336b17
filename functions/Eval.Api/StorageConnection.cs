using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Azure.Identity;
using Microsoft.Extensions.Configuration;

namespace Eval.Api;

/// <summary>
/// Reads the storage connection the way the Functions host reads <c>AzureWebJobsStorage</c>, so the app's tables
/// and the task hub always live in one account. Two forms:
/// <list type="bullet">
/// <item>a connection string in <c>AzureWebJobsStorage</c> (Azurite locally, and what the tests use);</item>
/// <item>identity-based (Azure): <c>AzureWebJobsStorage__tableServiceUri</c> or <c>AzureWebJobsStorage__accountName</c>,
/// with <c>AzureWebJobsStorage__credential</c> = <c>managedidentity</c> and, for a user-assigned identity,
/// <c>AzureWebJobsStorage__clientId</c>.</item>
/// </list>
/// A connection string wins when both are present, as in the Functions host.
/// </summary>
public sealed record StorageConnection
{
    /// <summary>The only <c>__credential</c> value the Functions host knows besides "not set".</summary>
    public const string ManagedIdentity = "managedidentity";

    /// <summary>Public-cloud endpoints used when only the account name is given; sovereign clouds set the URIs.</summary>
    const string PublicCloudTableHost = "table.core.windows.net", PublicCloudBlobHost = "blob.core.windows.net",
        PublicCloudQueueHost = "queue.core.windows.net";

    StorageConnection() { }

    /// <summary>Set for the connection-string form.</summary>
    public string? ConnectionString { get; private init; }

    /// <summary>Set for the identity-based form.</summary>
    public Uri? TableServiceUri { get; private init; }

    /// <summary>Identity-based form: the blob endpoint (evidence files), if known.</summary>
    public Uri? BlobServiceUri { get; private init; }

    /// <summary>Identity-based form: the queue endpoint (webhook deliveries), if known.</summary>
    public Uri? QueueServiceUri { get; private init; }

    /// <summary>Identity-based form: <see cref="ManagedIdentity"/>, or null for the default credential chain.</summary>
    public string? Credential { get; private init; }

    /// <summary>Identity-based form: the client id of a user-assigned managed identity, if any.</summary>
    public string? ClientId { get; private init; }

    public bool IsIdentityBased => TableServiceUri is not null;

    /// <summary>Reads the setting; throws with the names of both forms when neither is there or one is malformed.</summary>
    public static StorageConnection Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        IConfigurationSection section = configuration.GetSection(SettingNames.Storage);

        if (!string.IsNullOrWhiteSpace(section.Value))
            return new StorageConnection { ConnectionString = section.Value };

        string? serviceUri = Trimmed(section[SettingNames.StorageIdentity.TableServiceUri]);
        string? accountName = Trimmed(section[SettingNames.StorageIdentity.AccountName]);
        if (serviceUri is null && accountName is null)
            throw new InvalidOperationException(
                $"Setting '{SettingNames.Storage}' is missing. Set it to a storage connection string (Azurite locally), or use an " +
                $"identity-based connection: '{Name(SettingNames.StorageIdentity.AccountName)}' or " +
                $"'{Name(SettingNames.StorageIdentity.TableServiceUri)}', " +
                $"with '{Name(SettingNames.StorageIdentity.Credential)}' = {ManagedIdentity} and, for a user-assigned identity, " +
                $"'{Name(SettingNames.StorageIdentity.ClientId)}'.");

        string? blobUri = Trimmed(section[SettingNames.StorageIdentity.BlobServiceUri]);
        string? queueUri = Trimmed(section[SettingNames.StorageIdentity.QueueServiceUri]);
        string? credential = Trimmed(section[SettingNames.StorageIdentity.Credential]);
        if (credential is not null && !credential.Equals(ManagedIdentity, StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException(
                $"Setting '{Name(SettingNames.StorageIdentity.Credential)}' is '{credential}': " +
                $"the only value understood is '{ManagedIdentity}' (or leave it unset for the default Azure credential).");

        return new StorageConnection
        {
            TableServiceUri = serviceUri is not null ? ParseServiceUri(serviceUri, SettingNames.StorageIdentity.TableServiceUri)
                : AccountUri(accountName!, PublicCloudTableHost),
            BlobServiceUri = blobUri is not null ? ParseServiceUri(blobUri, SettingNames.StorageIdentity.BlobServiceUri)
                : accountName is not null ? AccountUri(accountName, PublicCloudBlobHost) : null,
            QueueServiceUri = queueUri is not null ? ParseServiceUri(queueUri, SettingNames.StorageIdentity.QueueServiceUri)
                : accountName is not null ? AccountUri(accountName, PublicCloudQueueHost) : null,
            Credential = credential?.ToLowerInvariant(),
            ClientId = Trimmed(section[SettingNames.StorageIdentity.ClientId]),
        };
    }

    /// <summary>The token credential of the identity-based form (none is created for a connection string).</summary>
    public TokenCredential CreateCredential()
    {
        if (!IsIdentityBased) throw new InvalidOperationException("A connection string needs no token credential.");
        if (Credential == ManagedIdentity)
            return new ManagedIdentityCredential(
                ClientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(ClientId));
        // Not set: developer sign-ins (Azure CLI, Visual Studio ...) and managed identity, like the Functions host.
        var options = new DefaultAzureCredentialOptions();
        if (ClientId is not null) options.ManagedIdentityClientId = ClientId;
        return new DefaultAzureCredential(options);
    }

    public TableServiceClient CreateTableServiceClient() =>
        IsIdentityBased ? new TableServiceClient(TableServiceUri, CreateCredential()) : new TableServiceClient(ConnectionString);

    /// <summary>The blob service of the same account: evidence files live beside the tables.</summary>
    public BlobServiceClient CreateBlobServiceClient()
    {
        if (!IsIdentityBased) return new BlobServiceClient(ConnectionString);
        return BlobServiceUri is { } uri ? new BlobServiceClient(uri, CreateCredential())
            : throw new InvalidOperationException(
                $"Evidence files need the blob endpoint: set '{Name(SettingNames.StorageIdentity.BlobServiceUri)}' " +
                $"or '{Name(SettingNames.StorageIdentity.AccountName)}'.");
    }

    /// <summary>The queue service of the same account: webhook deliveries wait there between attempts.</summary>
    public QueueServiceClient CreateQueueServiceClient(QueueClientOptions options)
    {
        if (!IsIdentityBased) return new QueueServiceClient(ConnectionString, options);
        return QueueServiceUri is { } uri ? new QueueServiceClient(uri, CreateCredential(), options)
            : throw new InvalidOperationException(
                $"Webhook deliveries need the queue endpoint: set '{Name(SettingNames.StorageIdentity.QueueServiceUri)}' " +
                $"or '{Name(SettingNames.StorageIdentity.AccountName)}'.");
    }

    static Uri ParseServiceUri(string value, string setting)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            return uri;
        throw new InvalidOperationException(
            $"Setting '{Name(setting)}' must be an absolute http(s) URI such as https://<account>.<service>.core.windows.net.");
    }

    static Uri AccountUri(string accountName, string host)
    {
        // Storage account names: 3 to 24 lower-case letters and digits.
        if (accountName.Length is < 3 or > 24 || !accountName.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9')))
            throw new InvalidOperationException($"Setting '{Name(SettingNames.StorageIdentity.AccountName)}' " +
                "is not a storage account name (3 to 24 lower-case letters and digits).");
        return new Uri($"https://{accountName}.{host}");
    }

    static string Name(string property) => $"{SettingNames.Storage}__{property}";

    static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
