using System.Runtime.InteropServices;
using System.Text.Json;

namespace Eval.Bench;

/// <summary>What the figures were measured on.</summary>
public sealed record Machine(string Cpu, int Cores, double MemoryGiB, string Os, string Kernel, string DotNet, string Azurite,
    string Persistence, string LoadAtStart)
{
    public static Machine Describe(string root)
    {
        string[] cpuinfo = TryRead("/proc/cpuinfo").Split('\n');
        string cpu = cpuinfo.FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) is { } m
            ? m[(m.IndexOf(':') + 1)..].Trim()
            : "unknown";
        int cores = cpuinfo.Count(l => l.StartsWith("processor", StringComparison.Ordinal));
        double memory = TryRead("/proc/meminfo").Split('\n')
            .FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) is { } mem
            ? Math.Round(long.Parse(mem.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0 / 1024.0, 1) : 0;
        string os = TryRead("/etc/os-release").Split('\n')
            .FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal)) is { } p
            ? p["PRETTY_NAME=".Length..].Trim('"') : RuntimeInformation.OSDescription;
        string azurite = "unknown";
        string package = Path.Combine(root, "node_modules", "azurite", "package.json");
        if (File.Exists(package))
            azurite = JsonDocument.Parse(File.ReadAllText(package)).RootElement.GetProperty("version").GetString() ?? "unknown";
        azurite += PatchState(root, azurite);
        string load = string.Join(' ', TryRead("/proc/loadavg").Split(' ').Take(3));
        string kernel = "Linux " + TryRead("/proc/sys/kernel/osrelease").Trim();
        return new Machine(cpu, cores > 0 ? cores : Environment.ProcessorCount, memory, os, kernel,
            RuntimeInformation.FrameworkDescription, azurite,
            "in memory (--inMemoryPersistence), each service its own process (azurite-blob, azurite-queue, azurite-table)", load);
    }

    /// <summary>
    /// Whether npm ci applied patches/azurite+VERSION.patch (the queue and table store fixes, docs/benchmarks.md):
    /// figures from a patched and a stock Azurite differ by several times at city scale.
    /// </summary>
    static string PatchState(string root, string version)
    {
        string patch = Path.Combine("patches", $"azurite+{version}.patch");
        if (!File.Exists(Path.Combine(root, patch))) return ", stock";
        string store = Path.Combine(root, "node_modules", "azurite", "dist", "src", "queue", "persistence", "LokiQueueMetadataStore.js");
        return TryRead(store).Contains("Patched (Eval", StringComparison.Ordinal)
            ? $", with {patch} (queue and table store fixes)" : $", stock ({patch} not applied: run npm ci)";
    }

    static string TryRead(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }
}
