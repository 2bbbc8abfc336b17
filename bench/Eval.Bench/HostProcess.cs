using System.Diagnostics;
using Eval.LocalHost;

namespace Eval.Bench;

/// <summary>CPU time a process has used (user + system), from /proc/&lt;pid&gt;/stat.</summary>
public static class ProcessCpu
{
    public static double? Seconds(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which may hold spaces): state is the 3rd field, utime the 14th, stime the 15th.
            string[] f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(f[11]) + long.Parse(f[12])) / 100.0; // USER_HZ
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}

/// <summary>
/// The local host (Release build) as a child process, configured through the environment as the functional tests
/// run it, with warnings-only logs written to a file. Its resident memory is sampled every second.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    public const string SigningKey = "bench-signing-key-0123456789abcdef-0123456789";

    readonly Process process;
    readonly StreamWriter logFile;
    readonly Timer sampler;
    readonly List<(double Seconds, long Kib)> rss = [];
    readonly Stopwatch clock = Stopwatch.StartNew();

    HostProcess(Process process, StreamWriter logFile, int httpPort)
    {
        this.process = process;
        this.logFile = logFile;
        BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/");
        sampler = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }

    public Uri BaseAddress { get; }
    public int ProcessId => process.Id;

    static readonly List<Process> Running = [];

    /// <summary>Kills every host still running (the bench is being interrupted).</summary>
    public static void KillAll()
    {
        lock (Running)
            foreach (Process p in Running)
                try { if (!p.HasExited) p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }

    public static async Task<HostProcess> StartAsync(string hostDll, string storage, string hub, string logPath)
    {
        int httpPort = FreePort.Next(), sidecarPort = FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { hostDll },
            WorkingDirectory = Path.GetTempPath(), // no local.settings.json here: everything comes from the environment
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove("DOTNET_PROCESSOR_COUNT");
        start.Environment["AzureWebJobsStorage"] = storage;
        start.Environment["EvalTaskHub"] = hub;
        start.Environment["LocalHost__HttpPort"] = httpPort.ToString();
        start.Environment["LocalHost__SidecarPort"] = sidecarPort.ToString();
        start.Environment["LocalHost__WorkerId"] = "bench-host";
        start.Environment["Auth__SigningKey"] = SigningKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (string category in
            new[] { "Microsoft.AspNetCore", "Microsoft.DurableTask", "DurableTask.AzureStorage", "DurableTask.Core", "Grpc" })
            start.Environment[$"Logging__LogLevel__{category}"] = "Warning";

        var logFile = new StreamWriter(logPath) { AutoFlush = true };
        var host = new HostProcess(Process.Start(start)!, logFile, httpPort);
        lock (Running) Running.Add(host.process);
        host.process.OutputDataReceived += (_, e) => host.Append(e.Data);
        host.process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        host.process.BeginOutputReadLine();
        host.process.BeginErrorReadLine();
        await host.WaitHealthyAsync(TimeSpan.FromSeconds(90), logPath);
        return host;
    }

    void Append(string? line)
    {
        if (line is null) return;
        try { lock (logFile) logFile.WriteLine(line); }
        catch (ObjectDisposedException) { } // a last line after the host was stopped
    }

    async Task WaitHealthyAsync(TimeSpan limit, string logPath)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            if (process.HasExited) throw new InvalidOperationException($"The local host exited with {process.ExitCode} (log: {logPath}).");
            try
            {
                using HttpResponseMessage r = await http.GetAsync("api/health");
                if (r.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The local host did not become healthy within {limit} (log: {logPath}).");
    }

    void Sample()
    {
        if (ReadStatusKib("VmRSS") is { } kib)
            lock (rss) rss.Add((Math.Round(clock.Elapsed.TotalSeconds, 1), kib));
    }

    /// <summary>A line of /proc/&lt;pid&gt;/status in KiB: VmRSS (now) or VmHWM (the peak since the process started).</summary>
    public long? ReadStatusKib(string field)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{process.Id}/status"))
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                    return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>The samples so far: (seconds since start, MiB), every one.</summary>
    public List<(double Seconds, double Mib)> RssTimeline()
    {
        lock (rss) return rss.Select(s => (s.Seconds, Math.Round(s.Kib / 1024.0, 1))).ToList();
    }

    /// <summary>At most <paramref name="points"/> samples for the report: the largest of each stretch of samples.</summary>
    public static List<(double Seconds, double Mib)> Thin(List<(double Seconds, double Mib)> timeline, int points)
    {
        if (timeline.Count <= points) return timeline;
        int stretch = (timeline.Count + points - 1) / points;
        return timeline.Chunk(stretch).Select(c => c.MaxBy(s => s.Mib)).ToList();
    }

    public bool HasExited => process.HasExited;

    public async ValueTask DisposeAsync()
    {
        await sampler.DisposeAsync();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
        lock (logFile) logFile.Dispose();
    }
}
