using System.Diagnostics;

namespace Eval.FunctionalTests.Chaos;

/// <summary>
/// When the chaos run kills the host. The kills are shared out over the campaign's stages; each falls at a random
/// write of its stage (a point in the k-th of equal slices of the stage's writes, so they spread out): a moment after
/// that write is sent, the host is SIGKILLed with the stage's requests in flight. The campaign does not go on to the
/// next stage before the stage's kills happened, so every planned kill happens however fast the campaign runs.
/// (While the host is down the campaign's clients retry instead of starting new writes, so the writes do not run
/// far past a point before its kill.)
/// Seeded: a seed replays the same points.
/// </summary>
public sealed class KillSchedule : IStageGate
{
    // How long after its write a kill comes: long enough for the write to reach the host, short enough that it (or
    // the next one) is still being handled.
    static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(100);
    readonly ChaosHost host;
    readonly Func<int> inFlight;
    readonly Random random;
    readonly Action<string> log;
    readonly CancellationTokenSource abort;
    readonly Dictionary<string, int> planned;
    Stage? open;

    /// <summary>One stage's kills: kill k comes Delays[k] after the write numbered Points[k] (from 0) was sent.</summary>
    sealed class Stage(string name, int writes, int[] points, TimeSpan[] delays)
    {
        public string Name => name;
        public int Writes => writes;
        public int[] Points => points;
        public TimeSpan[] Delays => delays;
        public TaskCompletionSource[] Due { get; } = NewSignals(points.Length);
        public int Sent;
        public Task Kills = Task.CompletedTask;

        static TaskCompletionSource[] NewSignals(int n) =>
            Enumerable.Range(0, n).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
    }

    /// <param name="inFlight">How many requests are waiting for an answer, for the log of each kill.</param>
    /// <param name="abort">Cancelled when a restart fails, so the campaign's requests stop waiting for a host that will not come.</param>
    public KillSchedule(ChaosHost host, Func<int> inFlight, int kills, Random random, Action<string> log, CancellationTokenSource abort)
    {
        (this.host, this.inFlight, this.random, this.log, this.abort) = (host, inFlight, random, log, abort);
        planned = Spread(kills, ChaosCampaign.Stages);
    }

    /// <summary>The kills of each stage: an equal share, and one more for the stages after "start" while any are left over.</summary>
    public static Dictionary<string, int> Spread(int kills, IReadOnlyList<string> stages) =>
        Enumerable.Range(0, stages.Count).ToDictionary(i => stages[i],
            i => kills / stages.Count + ((i + stages.Count - 1) % stages.Count < kills % stages.Count ? 1 : 0));

    /// <summary>Every kill so far: its stage, the write it came at, the stage's writes, and the requests in flight.</summary>
    public List<(string Stage, int AtWrite, int StageWrites, int InFlight)> Done { get; } = [];

    public void Begin(string stage, int writes)
    {
        if (open is not null) throw new InvalidOperationException($"Stage {stage} began before stage {open.Name} ended.");
        int kills = planned.GetValueOrDefault(stage), slice = Math.Max(1, writes / Math.Max(1, kills));
        int[] points = Enumerable.Range(0, kills).Select(k => Math.Min(k * slice + random.Next(slice), Math.Max(0, writes - 1))).ToArray();
        TimeSpan[] delays = Enumerable.Range(0, kills).Select(_ => random.NextDouble() * MaxDelay).ToArray();
        var next = new Stage(stage, writes, points, delays);
        next.Kills = Task.Run(() => KillAsync(next));
        open = next;
    }

    /// <summary>Before each write's first attempt: starts the kills due at it.</summary>
    public void BeforeWrite()
    {
        if (open is not { } stage) return;
        int n = Interlocked.Increment(ref stage.Sent) - 1;
        for (int k = 0; k < stage.Points.Length; k++)
            if (stage.Points[k] == n) stage.Due[k].TrySetResult();
    }

    /// <summary>The stage's writes are answered; returns once all its kills have happened (a kill whose write never came, now).</summary>
    public async Task EndAsync()
    {
        if (open is not { } stage) throw new InvalidOperationException("No stage is open.");
        foreach (TaskCompletionSource due in stage.Due) due.TrySetResult();
        await stage.Kills;
        open = null;
    }

    /// <summary>Stops the kills of a run that failed; returns what went wrong with them, if anything did.</summary>
    public async Task<Exception?> StopAsync()
    {
        if (open is not { } stage) return null;
        abort.Cancel();
        try { await stage.Kills; return null; }
        catch (OperationCanceledException) { return null; }
        catch (Exception e) { return e; }
    }

    async Task KillAsync(Stage stage)
    {
        try
        {
            for (int k = 0; k < stage.Points.Length; k++)
            {
                await stage.Due[k].Task.WaitAsync(abort.Token);
                await Task.Delay(stage.Delays[k], abort.Token);
                int requests = inFlight();
                TimeSpan uptime = host.Uptime;
                var restart = Stopwatch.StartNew();
                await host.KillAndRestartAsync(abort.Token);
                Done.Add((stage.Name, stage.Points[k], stage.Writes, requests));
                log($"kill {host.Kills} in {stage.Name}, at write {stage.Points[k] + 1} of {stage.Writes} " +
                    $"({requests} requests in flight), {uptime.TotalSeconds:F1} s up; restarted in {restart.Elapsed.TotalSeconds:F1} s");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            abort.Cancel();
            throw;
        }
    }
}
