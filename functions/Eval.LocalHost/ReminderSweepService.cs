using Eval.Workflows.Notifications;

namespace Eval.LocalHost;

/// <summary>
/// The local host's clock for reminders: every <see cref="ReminderOptions.SweepInterval"/> one pass of
/// <see cref="ReminderSweep"/>, as the Functions app's timer runs it. A failed pass (storage away) is logged and the next
/// one tries again: a due reminder stays in its table until it is told.
/// </summary>
public sealed class ReminderSweepService(ReminderSweep sweep, ReminderOptions options, ILogger<ReminderSweepService> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SweepInterval);
        do
        {
            try
            {
                await sweep.SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "A reminder sweep failed; the next one tries again");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
