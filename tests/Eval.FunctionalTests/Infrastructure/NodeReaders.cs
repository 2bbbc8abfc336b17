using System.Diagnostics;

namespace Eval.FunctionalTests.Infrastructure;

/// <summary>
/// The independent readers under tests/readers: node scripts on libraries that have nothing to do with the ones Eval
/// writes with (jose for the signed lists, jsQR and pngjs for the QR codes, ExcelJS and csv-parse for the exports,
/// standardwebhooks and cloudevents for the webhooks), installed by npm ci. Run from the repository root, as ./eval test
/// runs them.
/// </summary>
public static class NodeReaders
{
    public sealed record Run(int ExitCode, string Output, string Error);

    /// <summary>The text of the QR code in a PNG or SVG file (exit 0), or why none was read.</summary>
    public static Task<Run> ReadQrAsync(string file) => RunAsync("qr.mjs", file);

    /// <summary>Verifies a compact JWS file against a JWK Set file: exit 0 with {header, payload}, or 1 with jose's error code.</summary>
    public static Task<Run> VerifyJwsAsync(string jwsFile, string keysFile) => RunAsync("verify-jws.mjs", jwsFile, keysFile);

    /// <summary>An XLSX file's first sheet as JSON: {sheet, sheets, frozen, rows, formats, formulas}, read by ExcelJS.</summary>
    public static Task<Run> ReadXlsxAsync(string file) => RunAsync("xlsx.mjs", file);

    /// <summary>A CSV file as JSON: {bom, crlf, records}, parsed by csv-parse (strict RFC 4180).</summary>
    public static Task<Run> ReadCsvAsync(string file) => RunAsync("csv.mjs", file);

    /// <summary>
    /// Verifies webhook deliveries (a JSON file: the secret and each delivery's headers and body) with standardwebhooks and
    /// parses each body with the CloudEvents SDK: exit 0 when all hold, with one result per delivery.
    /// </summary>
    public static Task<Run> VerifyWebhooksAsync(string deliveriesFile) => RunAsync("verify-webhook.mjs", deliveriesFile);

    static async Task<Run> RunAsync(string script, params string[] arguments)
    {
        if (!Directory.Exists(Path.Combine(Repo.Root, "node_modules", "jose")))
            throw new DirectoryNotFoundException($"node_modules is missing in {Repo.Root}: run npm ci (./eval test does).");
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Repo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine("tests", "readers", script));
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} ran for more than a minute.");
        }
        return new Run(process.ExitCode, await output, await error);
    }
}
