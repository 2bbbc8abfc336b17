using System.Diagnostics;
using System.Text;
using Eval.LocalHost;

namespace Eval.FunctionalTests.Infrastructure;

/// <summary>
/// The local host as a child process, as `./eval up` runs it: its own ports, a task hub of the test's choosing,
/// settings through the environment. Its output is kept for failure messages.
/// </summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    readonly Process process;
    readonly StringBuilder output = new();

    LocalHostProcess(Process process, int httpPort)
    {
        this.process = process;
        BaseAddress = new Uri($"http://localhost:{httpPort}/");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    /// <summary>A client that sends a development token for <paramref name="role"/> at <paramref name="unit"/>.</summary>
    public HttpClient As(string role, string unit, string? sub = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = TestTokens.Bearer(role, unit, sub);
        return client;
    }

    public HttpClient Http { get; }
    public int ProcessId => process.Id;
    public string Output { get { lock (output) return output.ToString(); } }

    public static string NewHubName() => "t" + Guid.NewGuid().ToString("N")[..12];

    public int HttpPort => BaseAddress.Port;
    public int SidecarPort { get; private init; }

    /// <summary>Starts a host; pass the ports of a killed one to restart it where its clients expect it.</summary>
    public static async Task<LocalHostProcess> StartAsync(string storage, string hub, string workerId = "test-worker",
        IDictionary<string, string>? settings = null, int? httpPort = null, int? sidecarPort = null)
    {
        return await StartOnPortsAsync(storage, hub, workerId, settings, httpPort ?? FreePort.Next(), sidecarPort ?? FreePort.Next());
    }

    static async Task<LocalHostProcess> StartOnPortsAsync(string storage, string hub, string workerId,
        IDictionary<string, string>? settings, int httpPort, int sidecarPort)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Repo.LocalHostDll },
            WorkingDirectory = Path.GetTempPath(), // no local.settings.json here: everything comes from the environment
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove("DOTNET_PROCESSOR_COUNT");
        start.Environment["AzureWebJobsStorage"] = storage;
        start.Environment["EvalTaskHub"] = hub;
        start.Environment["LocalHost__HttpPort"] = httpPort.ToString();
        start.Environment["LocalHost__SidecarPort"] = sidecarPort.ToString();
        start.Environment["LocalHost__WorkerId"] = workerId;
        start.Environment["Auth__SigningKey"] = TestTokens.SigningKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__DurableTask.AzureStorage"] = "Information";
        foreach ((string key, string value) in settings ?? new Dictionary<string, string>()) start.Environment[key] = value;

        var host = new LocalHostProcess(Process.Start(start)!, httpPort) { SidecarPort = sidecarPort };
        host.process.OutputDataReceived += (_, e) => host.Append(e.Data);
        host.process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        host.process.BeginOutputReadLine();
        host.process.BeginErrorReadLine();
        try
        {
            await host.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            // The caller never gets this host, so nothing else would stop it: it would outlive the test run.
            await host.DisposeAsync();
            throw;
        }
        return host;
    }

    void Append(string? line) { if (line is not null) lock (output) output.AppendLine(line); }

    async Task WaitHealthyAsync(TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            if (process.HasExited) throw new InvalidOperationException($"The local host exited with {process.ExitCode}:\n{Output}");
            try
            {
                using HttpResponseMessage r = await Http.GetAsync("api/health");
                if (r.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The local host did not become healthy within {limit}:\n{Output}");
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or a pulled plug.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
