using Eval.LocalHost.ApiDescription;

namespace Eval.LocalHost.Cli;

/// <summary>
/// `./eval openapi` (`Eval.LocalHost.dll openapi [--out docs/openapi.json]`): writes the OpenAPI document the local host
/// serves at /openapi/v1.json, without starting anything. A test fails when the committed docs/openapi.json differs.
/// </summary>
public static class OpenApiCommand
{
    public static async Task<int> RunAsync(CommandLine cli)
    {
        string document = await OpenApiSetup.GenerateAsync();
        if (cli.One("out") is not { } path)
        {
            Console.Out.Write(document);
            return 0;
        }
        await File.WriteAllTextAsync(path, document);
        Console.Error.WriteLine($"Wrote {Path.GetFullPath(path)}.");
        return 0;
    }
}
