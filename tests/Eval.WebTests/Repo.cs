using System.Reflection;

namespace Eval.WebTests;

/// <summary>Where the repository is (written into the assembly at build time).</summary>
public static class Repo
{
    public static string Root { get; } = typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepoRoot").Value!;
}
