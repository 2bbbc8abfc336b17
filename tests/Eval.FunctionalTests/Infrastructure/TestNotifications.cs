using Azure.Storage.Queues;
using Eval.Workflows.Notifications;
using Eval.Workflows.Storage;

namespace Eval.FunctionalTests.Infrastructure;

/// <summary>The notification outbox on the shared Azurite, for tests that run activities without a host.</summary>
public static class TestNotifications
{
    /// <summary>An outbox over the tables and queues of <paramref name="storage"/>'s prefix; its queues are created.</summary>
    public static async Task<NotificationOutbox> OutboxAsync(EvalTables tables, StorageOptions storage)
    {
        var options = new NotificationOptions();
        var queues = new NotificationQueues(new QueueServiceClient(AzuriteInstance.Shared.ConnectionString,
            NotificationQueues.ClientOptions()), storage, options);
        await queues.EnsureCreatedAsync();
        return new NotificationOutbox(tables, queues, options);
    }
}
