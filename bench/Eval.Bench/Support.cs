using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Eval.Bench;

/// <summary>CPU seconds used by some processes between <see cref="Start"/> and <see cref="Stop"/> (a pid of 0 is skipped).</summary>
public sealed class Cpu
{
    readonly int[] pids;
    readonly double?[] before;

    Cpu(int[] pids)
    {
        this.pids = pids;
        before = pids.Select(p => p > 0 ? ProcessCpu.Seconds(p) : null).ToArray();
    }

    public static Cpu Start(params int[] pids) => new(pids);

    /// <summary>The seconds each process used, under the given names (in the order of the pids).</summary>
    public Dictionary<string, double> Stop(params string[] names)
    {
        var used = new Dictionary<string, double>();
        for (int i = 0; i < pids.Length; i++)
            if (before[i] is { } b && ProcessCpu.Seconds(pids[i]) is { } a)
                used[names[i]] = Math.Round(a - b, 1);
        return used;
    }
}

/// <summary>Warnings and errors of the in-process engine, to a file (the console is for the bench's own lines).</summary>
public sealed class FileLoggerFactory : IDisposable
{
    readonly StreamWriter file;

    public FileLoggerFactory(string path)
    {
        file = new StreamWriter(path) { AutoFlush = true };
        Factory = LoggerFactory.Create(l => l.SetMinimumLevel(LogLevel.Warning).AddProvider(new Provider(this)));
    }

    public ILoggerFactory Factory { get; }

    bool closed;

    void Write(string line)
    {
        // The engine's background loops may still log a line after the workload ended: it is dropped.
        lock (file) if (!closed) file.WriteLine(line);
    }

    public void Dispose()
    {
        lock (file) { closed = true; file.Dispose(); }
        Factory.Dispose();
    }

    sealed class Provider(FileLoggerFactory owner) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(owner, categoryName);
        public void Dispose() { }
    }

    sealed class Logger(FileLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            owner.Write($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel.ToString().ToLowerInvariant()[..4]}: " +
                        $"{category}[{eventId.Id}] {formatter(state, exception)}" +
                        (exception is null ? "" : " " + exception));
        }
    }
}

/// <summary>
/// The bench's in-process hosts (the proxy, workload A's worker) do not take Ctrl+C or SIGTERM for themselves: the
/// default console lifetime would stop just that host and keep the process running. The bench's own handler stops
/// the host child and ends the process.
/// </summary>
public sealed class NoConsoleLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
