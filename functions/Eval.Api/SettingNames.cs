namespace Eval.Api;

/// <summary>App settings both hosts read (local.settings.json "Values" locally, app settings in Azure).</summary>
public static class SettingNames
{
    /// <summary>The storage account of the app and its task hub (the name Functions itself uses).</summary>
    public const string Storage = "AzureWebJobsStorage";

    /// <summary>The Durable Task hub name; host.json refers to it as %EvalTaskHub%.</summary>
    public const string TaskHub = "EvalTaskHub";

    /// <summary>
    /// The identity-based form of <see cref="Storage"/>, read as <c>AzureWebJobsStorage__{name}</c> when
    /// <c>AzureWebJobsStorage</c> itself (a connection string) is not set. The Functions host reads the same names.
    /// </summary>
    public static class StorageIdentity
    {
        /// <summary>The account name; the table endpoint is then the public cloud's.</summary>
        public const string AccountName = "accountName";

        /// <summary>The table endpoint, e.g. https://account.table.core.windows.net; wins over the account name.</summary>
        public const string TableServiceUri = "tableServiceUri";

        /// <summary>The blob endpoint (evidence files); wins over the account name.</summary>
        public const string BlobServiceUri = "blobServiceUri";

        /// <summary>The queue endpoint (webhook deliveries; the task hub's queues too); wins over the account name.</summary>
        public const string QueueServiceUri = "queueServiceUri";

        /// <summary><c>managedidentity</c>; unset means the default Azure credential chain.</summary>
        public const string Credential = "credential";

        /// <summary>The client id of the user-assigned managed identity.</summary>
        public const string ClientId = "clientId";
    }
}
