using System.Diagnostics;
using System.Net.Sockets;
using Eval.LocalHost;

namespace Eval.FunctionalTests.Infrastructure;

/// <summary>
/// An Azurite the tests use. `./eval test` starts one and passes its connection string in EVAL_TEST_STORAGE;
/// without it (plain `dotnet test`) the tests start their own, in memory, on free ports. Tests that stop the
/// storage start a private one with <see cref="StartPrivate"/>: one `azurite` process for all three services (`./eval`
/// runs one per service, for speed), since those tests stop and start the storage as a whole.
/// </summary>
public sealed class AzuriteInstance : IDisposable
{
    const string Account = "devstoreaccount1";
    const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    Process? process;
    readonly int[] ports;
    readonly string? location;

    AzuriteInstance(string connectionString, Process? process, int[]? ports = null, string? location = null)
    {
        ConnectionString = connectionString;
        this.process = process;
        this.ports = ports ?? [];
        this.location = location;
    }

    public string ConnectionString { get; }

    static readonly Lazy<AzuriteInstance> LazyShared = new(() =>
        Environment.GetEnvironmentVariable("EVAL_TEST_STORAGE") is { Length: > 0 } given
            ? new AzuriteInstance(given, null)
            : StartPrivate());

    /// <summary>The Azurite shared by the whole test run.</summary>
    public static AzuriteInstance Shared => LazyShared.Value;

    public static AzuriteInstance StartPrivate(string? location = null)
    {
        int blob = FreePort.Next(), queue = FreePort.Next(), table = FreePort.Next();
        return new AzuriteInstance(Connection(blob, queue, table), Launch(blob, queue, table, location), [blob, queue, table], location);
    }

    /// <summary>Kills this (private) Azurite, as a crash would.</summary>
    public void Kill()
    {
        if (process is { HasExited: false }) { process.Kill(entireProcessTree: true); process.WaitForExit(5000); }
    }

    /// <summary>
    /// Stops this private Azurite the way an operator would (SIGTERM), so it writes its data to disk; a SIGKILL
    /// loses what it had not saved yet, tables included.
    /// </summary>
    public void Stop()
    {
        if (process is not { HasExited: false }) return;
        using (Process.Start("kill", ["-TERM", process.Id.ToString()])) { }
        if (!process.WaitForExit(20_000)) Kill();
    }

    /// <summary>Starts this private Azurite again on the same ports and data folder.</summary>
    public void Restart()
    {
        Stop();
        process?.Dispose();
        process = Launch(ports[0], ports[1], ports[2], location);
    }

    static Process Launch(int blob, int queue, int table, string? location) =>
        Launch(Repo.Azurite, ["--blobPort", blob.ToString(), "--queuePort", queue.ToString(), "--tablePort", table.ToString()],
            [blob, queue, table], location);

    /// <summary>One storage service as its own process (`azurite-queue`, say), on the data folder a single `azurite` would use.</summary>
    public static Process LaunchService(string service, int port, string location) =>
        Launch(Repo.Azurite + "-" + service, [$"--{service}Port", port.ToString()], [port], location);

    static Process Launch(string program, string[] portArguments, int[] ports, string? location)
    {
        if (!File.Exists(program))
            throw new InvalidOperationException(
                $"Azurite is not installed at {program}: run `npm ci` in the repository (./eval test does).");
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in (string[])["--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry", .. portArguments])
            start.ArgumentList.Add(argument);
        if (location is null) start.ArgumentList.Add("--inMemoryPersistence");
        else { start.ArgumentList.Add("--location"); start.ArgumentList.Add(location); }
        Process p = Process.Start(start)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var watch = Stopwatch.StartNew();
        foreach (int port in ports)
        {
            while (!Listening(port))
            {
                if (p.HasExited || watch.Elapsed > TimeSpan.FromSeconds(20))
                    throw new InvalidOperationException(
                        $"Azurite ({Path.GetFileName(program)}) did not start on ports {string.Join("/", ports)}.");
                Thread.Sleep(50);
            }
        }
        return p;
    }

    /// <summary>Stops a process started by <see cref="LaunchService"/> as an operator would (SIGTERM: it saves its data).</summary>
    public static void StopService(Process process)
    {
        if (process.HasExited) return;
        using (Process.Start("kill", ["-TERM", process.Id.ToString()])) { }
        if (!process.WaitForExit(20_000)) { process.Kill(entireProcessTree: true); process.WaitForExit(5000); }
    }

    public static string Connection(int blob, int queue, int table) =>
        $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};" +
        $"BlobEndpoint=http://127.0.0.1:{blob}/{Account};QueueEndpoint=http://127.0.0.1:{queue}/{Account};" +
        $"TableEndpoint=http://127.0.0.1:{table}/{Account};";

    static bool Listening(int port)
    {
        try { using var c = new TcpClient(); c.Connect("127.0.0.1", port); return true; }
        catch (SocketException) { return false; }
    }

    bool disposed;

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (process is { HasExited: false }) { process.Kill(entireProcessTree: true); process.WaitForExit(5000); }
        process?.Dispose();
    }
}
