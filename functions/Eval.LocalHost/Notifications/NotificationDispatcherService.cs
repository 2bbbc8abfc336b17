using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Eval.Workflows.Notifications;

namespace Eval.LocalHost.Notifications;

/// <summary>
/// The local host's side of webhook delivery: what the Functions app's queue and timer triggers do (NotificationFunctions),
/// here as loops over the same queues. A message is hidden while it is handled and deleted after; one whose handling
/// throws is seen again after <see cref="NotificationQueues.RetryVisibility"/> and goes to its poison queue after
/// <see cref="NotificationQueues.MaxDequeueCount"/> tries, as host.json has the Functions host do.
/// </summary>
public sealed class NotificationDispatcherService(NotificationDispatcher dispatcher, NotificationQueues queues,
    NotificationOptions options, ILogger<NotificationDispatcherService> log) : BackgroundService
{
    /// <summary>The work this service runs, by the Functions app's names for it (HostParityTests compares them).</summary>
    public static readonly IReadOnlyList<string> Functions =
        [NotificationDispatcher.FanOutFunction, NotificationDispatcher.DeliverFunction, NotificationDispatcher.SweepFunction];

    /// <summary>Messages taken from a queue at once, and handled together (the Functions host's batchSize).</summary>
    const int BatchSize = 16;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await queues.EnsureCreatedAsync();
        await Task.WhenAll(
            PollAsync(queues.Fanout, dispatcher.FanOutAsync, stoppingToken),
            PollAsync(queues.Deliveries, dispatcher.DeliverAsync, stoppingToken),
            SweepAsync(stoppingToken));
    }

    async Task PollAsync(QueueClient queue, Func<string, CancellationToken, Task> handle, CancellationToken stop)
    {
        // Hidden while handled: longer than one attempt can take, so no other reader takes it meanwhile.
        TimeSpan lease = TimeSpan.FromSeconds(Math.Max(60, 3 * options.RequestTimeout.TotalSeconds));
        while (!stop.IsCancellationRequested)
        {
            try
            {
                QueueMessage[] messages = (await queue.ReceiveMessagesAsync(BatchSize, lease, stop)).Value;
                if (messages.Length == 0) await Task.Delay(options.PollInterval, stop);
                else await Task.WhenAll(messages.Select(m => HandleAsync(queue, m, handle, stop)));
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Reading queue {Queue} failed; trying again shortly", queue.Name);
                await Delay(NotificationQueues.RetryVisibility, stop);
            }
        }
    }

    async Task HandleAsync(QueueClient queue, QueueMessage message, Func<string, CancellationToken, Task> handle, CancellationToken stop)
    {
        try
        {
            await handle(message.MessageText, stop);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Left as it is: it is seen again when its lease ends, by this host restarted or another.
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Handling message {MessageId} of {Queue} failed (try {Try})", message.MessageId, queue.Name,
                message.DequeueCount);
            try
            {
                if (message.DequeueCount >= NotificationQueues.MaxDequeueCount)
                {
                    await queues.PoisonOf(queue).SendMessageAsync(message.MessageText, TimeSpan.Zero, TimeSpan.FromSeconds(-1),
                        CancellationToken.None);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
                }
                else
                    await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt,
                        visibilityTimeout: NotificationQueues.RetryVisibility, cancellationToken: CancellationToken.None);
            }
            catch (Exception again)
            {
                log.LogWarning(again, "Message {MessageId} of {Queue} is seen again when its lease ends", message.MessageId, queue.Name);
            }
        }
    }

    async Task SweepAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (!await Delay(options.SweepInterval, stop)) return;
            try
            {
                await dispatcher.RecyclePoisonAsync(stop);
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                log.LogWarning(e, "Bringing back poison messages failed; trying again at the next sweep");
            }
        }
    }

    static async Task<bool> Delay(TimeSpan wait, CancellationToken stop)
    {
        try
        {
            await Task.Delay(wait, stop);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
