using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Eval.FunctionalTests.Infrastructure;

/// <summary>
/// Redocly CLI, installed by npm ci (package.json's devDependencies), linting an OpenAPI document with the repository's
/// redocly.yaml (the recommended rules).
/// </summary>
public static class Redocly
{
    public static string Executable => Path.Combine(Repo.Root, "node_modules", ".bin", "redocly");

    public sealed record Problem(string RuleId, string Severity, string Message, string Pointer)
    {
        public override string ToString() => $"{Severity} {RuleId} at {Pointer}: {Message}";
    }

    public static async Task<IReadOnlyList<Problem>> LintAsync(string documentJson)
    {
        if (!File.Exists(Executable))
            throw new FileNotFoundException($"{Executable} is missing: run npm ci in {Repo.Root} (./eval test does).");
        string file = Path.Combine(Path.GetTempPath(), $"eval-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, documentJson);
        try
        {
            var start = new ProcessStartInfo(Executable)
            {
                WorkingDirectory = Repo.Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in new[] { "lint", file, "--config", Path.Combine(Repo.Root, "redocly.yaml"), "--format=json" })
                start.ArgumentList.Add(argument);
            // No usage data sent and no look for a newer version: the lint is all it should do.
            start.Environment["REDOCLY_TELEMETRY"] = "off";
            start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";

            using Process process = Process.Start(start) ?? throw new InvalidOperationException("redocly did not start.");
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("redocly lint ran for more than 2 minutes.");
            }
            // Exit code 1 means problems were found; the report says which. Anything else, or no report, is a failure to lint.
            string report = await stdout;
            if (process.ExitCode is not (0 or 1) || !report.TrimStart().StartsWith('{'))
                throw new InvalidOperationException($"redocly lint exited {process.ExitCode}: {report}\n{await stderr}");
            return JsonNode.Parse(report)!["problems"]!.AsArray().Select(p => new Problem(
                p!["ruleId"]!.GetValue<string>(), p["severity"]!.GetValue<string>(), p["message"]!.GetValue<string>(),
                p["location"]?[0]?["pointer"]?.GetValue<string>() ?? "#")).ToList();
        }
        finally
        {
            File.Delete(file);
        }
    }
}
