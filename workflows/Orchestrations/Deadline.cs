using Microsoft.DurableTask;

namespace Eval.Workflows.Orchestrations;

/// <summary>Races an awaited event against a durable timer.</summary>
public static class Deadline
{
    /// <summary>
    /// True when <paramref name="awaited"/> completes before <paramref name="deadline"/>, false once the deadline has
    /// passed. Queue-based backends deliver timer messages with whole-second visibility, so a timer can fire a little
    /// early: it is re-armed until the orchestration's own clock has reached the deadline.
    /// </summary>
    public static async Task<bool> WinsAsync(TaskOrchestrationContext context, Task awaited, DateTimeOffset deadline)
    {
        using var cancelTimer = new CancellationTokenSource();
        while (true)
        {
            if (awaited.IsCompleted) { cancelTimer.Cancel(); return true; }
            if (context.CurrentUtcDateTime >= deadline.UtcDateTime) return false;
            Task timer = context.CreateTimer(deadline.UtcDateTime, cancelTimer.Token);
            if (await Task.WhenAny(awaited, timer) == awaited) { cancelTimer.Cancel(); return true; }
        }
    }
}
