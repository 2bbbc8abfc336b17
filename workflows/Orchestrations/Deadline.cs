using System.Diagnostics.CodeAnalysis;
using Microsoft.DurableTask;

namespace Eval.Workflows.Orchestrations;

/// <summary>Races an awaited event against a durable timer.</summary>
public static class Deadline
{
    /// <summary>
    /// True when <paramref name="awaited"/> completes before <paramref name="deadline"/>, false once the deadline has
    /// passed. Queue-based backends deliver timer messages with whole-second visibility, so a timer can fire a little
    /// early: it is re-armed until the orchestration's own clock has reached the deadline. No deadline: just wait.
    /// </summary>
    [SuppressMessage("Orchestration", "DURABLE0011", Justification =
        "Bounded: each turn returns or arms a timer for the deadline, and turns again only when that timer fired early.")]
    public static async Task<bool> WinsAsync(TaskOrchestrationContext context, Task awaited, DateTimeOffset? deadline)
    {
        if (deadline is null) { await awaited; return true; }
        using var cancelTimer = new CancellationTokenSource();
        while (true)
        {
            if (awaited.IsCompleted) { cancelTimer.Cancel(); return true; }
            if (context.CurrentUtcDateTime >= deadline.Value.UtcDateTime) return false;
            Task timer = context.CreateTimer(deadline.Value.UtcDateTime, cancelTimer.Token);
            if (await Task.WhenAny(awaited, timer) == awaited) { cancelTimer.Cancel(); return true; }
        }
    }

    /// <summary>Sleeps until the orchestration clock has passed <paramref name="deadline"/> (re-arming early timers).</summary>
    public static async Task PassAsync(TaskOrchestrationContext context, DateTimeOffset deadline,
        CancellationToken cancel = default)
    {
        while (context.CurrentUtcDateTime < deadline.UtcDateTime)
            await context.CreateTimer(deadline.UtcDateTime, cancel);
    }
}
