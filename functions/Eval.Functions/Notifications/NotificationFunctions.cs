using Eval.Workflows.Notifications;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Notifications;

/// <summary>
/// Webhook delivery in the Functions app: the queue triggers of fan-out and of each attempt, and the timer that brings
/// poison messages back (see <see cref="NotificationDispatcher"/>; the local host runs the same three in its dispatcher).
/// host.json's "queues" section sets what happens to a message whose handling throws, as the local host does.
/// </summary>
public sealed class NotificationFunctions(NotificationDispatcher dispatcher)
{
    [Function(NotificationDispatcher.FanOutFunction)]
    public Task FanOut([QueueTrigger(NotificationDispatcher.FanoutQueueSetting)] string message, CancellationToken ct) =>
        dispatcher.FanOutAsync(message, ct);

    [Function(NotificationDispatcher.DeliverFunction)]
    public Task Deliver([QueueTrigger(NotificationDispatcher.DeliveryQueueSetting)] string message, CancellationToken ct) =>
        dispatcher.DeliverAsync(message, ct);

    [Function(NotificationDispatcher.SweepFunction)]
    public Task RecyclePoison([TimerTrigger(NotificationDispatcher.SweepSchedule)] TimerInfo timer, CancellationToken ct) =>
        dispatcher.RecyclePoisonAsync(ct);
}
