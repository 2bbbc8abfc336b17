using System.Reflection;

namespace Eval.FunctionalTests.Infrastructure;

/// <summary>Where the repository and the built hosts are (written into the assembly at build time).</summary>
public static class Repo
{
    static string Metadata(string key) =>
        typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static string Root { get; } = Metadata("RepoRoot");
    public static string Configuration { get; } = Metadata("Configuration");

    public static string LocalHostDll =>
        Path.Combine(Root, "functions", "Eval.LocalHost", "bin", Configuration, "net10.0", "Eval.LocalHost.dll");
    public static string FunctionsMetadata =>
        Path.Combine(Root, "functions", "Eval.Functions", "bin", Configuration, "net10.0", "functions.metadata");
    public static string Azurite => Path.Combine(Root, "node_modules", ".bin", "azurite");
}
