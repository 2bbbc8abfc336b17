using Eval.Workflows.Notifications;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Timers;

/// <summary>
/// The Functions app's clock for reminders: one pass of <see cref="ReminderSweep"/> a minute (the local host's
/// ReminderSweepService runs the same pass every Reminders:SweepInterval). The timer runs on one instance at a time.
/// </summary>
public sealed class ReminderSweepFunction(ReminderSweep sweep)
{
    [Function(ReminderSweep.FunctionName)]
    public Task Run([TimerTrigger("0 * * * * *")] TimerInfo timer) => sweep.SweepAsync();
}
