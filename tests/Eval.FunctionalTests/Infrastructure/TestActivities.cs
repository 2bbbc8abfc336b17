using Azure.Storage.Queues;
using Eval.Workflows.Activities;
using Eval.Workflows.Notifications;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Eval.FunctionalTests.Infrastructure;

/// <summary>Activities on the shared Azurite, wired as the hosts wire them, for tests that run them without a host.</summary>
public static class TestActivities
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

    /// <summary>RecordEvaluationActivity with its audit chain, the inbox's index and the notices it writes.</summary>
    public static async Task<RecordEvaluationActivity> RecordEvaluationAsync(EvalTables tables, StorageOptions storage)
    {
        var campaigns = new CampaignStore(tables);
        var notifier = new StepNotifier(new ReminderScheduler(new ReminderStore(tables), campaigns, TimeProvider.System),
            await OutboxAsync(tables, storage), NullLogger<StepNotifier>.Instance);
        return new RecordEvaluationActivity(new EvaluationStore(tables), new AuditStore(tables),
            new InboxIndex(tables, campaigns, new UnitStore(tables)), notifier, NullLogger<RecordEvaluationActivity>.Instance);
    }
}
