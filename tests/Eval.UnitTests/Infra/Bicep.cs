using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace Eval.UnitTests.Infra;

/// <summary>
/// Runs the Bicep CLI from the NuGet package the test project downloads (its path is written into this assembly
/// at build time from NuGetPackageRoot), on the files in infra/.
/// </summary>
public static class Bicep
{
    static string Metadata(string key) =>
        typeof(Bicep).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static string RepoRoot { get; } = Metadata("RepoRoot");

    public static string InfraDir { get; } = Path.Combine(RepoRoot, "infra");

    /// <summary>What azd passes to main.bicepparam for a deployment (the audience is a made-up client id).</summary>
    public static IReadOnlyDictionary<string, string?> AzdEnvironment { get; } = new Dictionary<string, string?>
    {
        ["AZURE_ENV_NAME"] = "eval-test",
        ["AZURE_LOCATION"] = "eastasia",
        ["EVAL_AUTH_AUDIENCE"] = "00000000-0000-0000-0000-0000000e0a11",
        ["EVAL_OUTBOX_BINDING_KEY"] = "dGVzdC1vdXRib3gtYmluZGluZy1rZXktb2YtMzItYnl0ZXM=",
    };

    /// <summary>The variables main.bicepparam reads; each run starts with none of them, whatever the shell has.</summary>
    static readonly string[] ParameterVariables =
    [
        "AZURE_ENV_NAME", "AZURE_LOCATION", "EVAL_AUTH_AUDIENCE", "EVAL_AUTH_TENANT_ID", "EVAL_AUTH_ALLOWED_CLIENT_IDS", "EVAL_TASK_HUB",
        "EVAL_TABLE_PREFIX", "AZURE_PRINCIPAL_ID", "EVAL_EVIDENCE_RETENTION_YEARS", "EVAL_EVIDENCE_POLICY_LOCKED", "EVAL_WEB_ORIGINS",
        "EVAL_OUTBOX_BINDING_KEY",
    ];

    static readonly Lazy<string> Executable = new(FindExecutable);

    static string FindExecutable()
    {
        string path = Metadata("BicepPath");
        if (!File.Exists(path))
            throw new InvalidOperationException(
                $"The Bicep CLI is not at {path}. It comes with 'dotnet restore tests/Eval.UnitTests' (PackageDownload of " +
                "Azure.Bicep.CommandLine.linux-x64, a Linux x64 build): restore, or check that the package source serves it.");
        // A package extracted by some tools loses the executable bit.
        if (!OperatingSystem.IsWindows())
        {
            UnixFileMode mode = File.GetUnixFileMode(path);
            if (!mode.HasFlag(UnixFileMode.UserExecute))
                File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
        return path;
    }

    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        /// <summary>Both streams, for assertion messages and for the "no warning" checks.</summary>
        public string Output => StdOut + StdErr;

        public override string ToString() => $"exit code {ExitCode}\n{StdErr}\n{(StdOut.Length > 4000 ? StdOut[..4000] + "..." : StdOut)}";
    }

    /// <summary>Runs bicep with <paramref name="arguments"/> in <paramref name="workingDirectory"/> (infra/ by default).</summary>
    public static async Task<Result> RunAsync(
        IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(Executable.Value)
        {
            WorkingDirectory = workingDirectory ?? InfraDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        foreach (string name in ParameterVariables) start.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>()) start.Environment[name] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        // Generous: the CLI is a large self-contained program and this machine's two cores are shared.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} ran for more than 3 minutes.");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    static readonly Lazy<Task<(Result Result, JsonNode? Template)>> MainBuild = new(async () =>
    {
        Result result = await RunAsync(["build", "main.bicep", "--stdout"]);
        return (result, result.ExitCode == 0 ? JsonNode.Parse(result.StdOut) : null);
    });

    /// <summary>`bicep build infra/main.bicep --stdout`, run once for every test that needs it.</summary>
    public static Task<(Result Result, JsonNode? Template)> BuildMainAsync() => MainBuild.Value;

    /// <summary>The compiled ARM template, or a failed assertion with bicep's output.</summary>
    public static async Task<JsonNode> MainTemplateAsync()
    {
        var (result, template) = await BuildMainAsync();
        Assert.True(template is not null, $"bicep build main.bicep failed: {result}");
        return template;
    }

    /// <summary>Every resource in the template, nested deployments (the modules) included.</summary>
    public static IEnumerable<JsonObject> Resources(JsonNode template)
    {
        JsonNode? resources = template["resources"];
        IEnumerable<JsonNode?> items = resources switch
        {
            JsonArray array => array,
            JsonObject symbolic => symbolic.Select(p => p.Value), // languageVersion 2.0 names resources
            _ => [],
        };
        foreach (JsonObject resource in items.OfType<JsonObject>())
        {
            yield return resource;
            if (resource["properties"]?["template"] is JsonNode nested)
                foreach (JsonObject inner in Resources(nested)) yield return inner;
        }
    }

    /// <summary>
    /// What a deployment of main.bicepparam with <paramref name="environment"/> would create, every expression
    /// evaluated (`bicep snapshot`, for a made-up subscription and tenant): conditions and loops resolved, which
    /// the compiled template leaves to Azure. The snapshot is written beside the parameters file, so the file
    /// is copied to a temporary folder first, its `using` pointed back at infra/main.bicep.
    /// </summary>
    public static async Task<JsonArray> PredictedResourcesAsync(IReadOnlyDictionary<string, string?> environment)
    {
        string dir = Directory.CreateTempSubdirectory("eval-snapshot-").FullName;
        try
        {
            string parameters = File.ReadAllText(Path.Combine(InfraDir, "main.bicepparam"));
            const string usingMain = "using 'main.bicep'";
            Assert.Contains(usingMain, parameters);
            string main = Path.GetRelativePath(dir, Path.Combine(InfraDir, "main.bicep")).Replace('\\', '/');
            File.WriteAllText(Path.Combine(dir, "main.bicepparam"), parameters.Replace(usingMain, $"using '{main}'"));

            Result result = await RunAsync(
                ["snapshot", "main.bicepparam", "--mode", "overwrite", "--location", AzdEnvironment["AZURE_LOCATION"]!,
                    "--subscription-id", "00000000-0000-0000-0000-00000000e5a1", "--tenant-id", "00000000-0000-0000-0000-00000000e7e1"],
                environment, dir);
            Assert.True(result.ExitCode == 0, $"bicep snapshot failed: {result}");
            JsonNode snapshot = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "main.snapshot.json")))!;
            Assert.True(snapshot["diagnostics"] is JsonArray { Count: 0 }, $"bicep snapshot reported: {snapshot["diagnostics"]}");
            return snapshot["predictedResources"]!.AsArray();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    public static JsonObject Single(JsonNode template, string type)
    {
        var found = Resources(template).Where(r => (string?)r["type"] == type).ToArray();
        Assert.True(found.Length == 1, $"Expected one resource of type {type} in the compiled template, found {found.Length}.");
        return found[0];
    }
}
