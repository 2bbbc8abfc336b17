using System.Diagnostics;

namespace Eval.Bench;

/// <summary>How long a workload's named phases take; tells the listener (the proxy's request counter) as each begins.</summary>
public sealed class PhaseClock
{
    readonly Stopwatch watch = Stopwatch.StartNew();
    readonly string workload;
    readonly Action<string> log;
    readonly Action<string> onPhase;
    TimeSpan mark;

    public PhaseClock(string workload, string first, Action<string> log, Action<string> onPhase)
    {
        (this.workload, this.log, this.onPhase) = (workload, log, onPhase);
        Current = first;
        onPhase(first);
    }

    /// <summary>The phase under way.</summary>
    public string Current { get; private set; }

    public List<PhaseTime> Phases { get; } = [];

    public TimeSpan Elapsed => watch.Elapsed;

    /// <summary>Ends <paramref name="finished"/> and begins <paramref name="next"/>.</summary>
    public void Next(string finished, string next)
    {
        Current = next;
        onPhase(next);
        Phases.Add(new PhaseTime(finished, Math.Round((watch.Elapsed - mark).TotalSeconds, 2)));
        mark = watch.Elapsed;
        log($"{workload}: {finished} in {Phases[^1].Seconds} s");
    }

    /// <summary>Ends the run in the middle of the current phase, which is kept last, with the time spent in it so far.</summary>
    public void Stop()
    {
        Phases.Add(new PhaseTime(Current, Math.Round((watch.Elapsed - mark).TotalSeconds, 2)));
        log($"{workload}: stopped in {Current} after {Phases[^1].Seconds} s of it");
        onPhase("after");
    }
}

public sealed record PhaseTime(string Name, double Seconds);
