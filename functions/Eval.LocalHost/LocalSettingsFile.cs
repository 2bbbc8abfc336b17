using System.Text.Json;

namespace Eval.LocalHost;

/// <summary>
/// Reads local.settings.json the way `func start` does: the "Values" object becomes settings, with "__" standing
/// for a configuration section separator. Environment variables still win over the file.
/// </summary>
public static class LocalSettingsFile
{
    public const string FileName = "local.settings.json";

    public static IDictionary<string, string?> ReadValues(string path)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (doc.RootElement.TryGetProperty("Values", out JsonElement json))
        {
            foreach (JsonProperty p in json.EnumerateObject())
                values[p.Name.Replace("__", ":")] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText();
        }
        return values;
    }

    /// <summary>
    /// Adds the file above appsettings.json and below the environment variables, if it exists: as under `func start`,
    /// its values override the app's defaults (a log format, a log level), and the environment overrides the file.
    /// </summary>
    public static void AddTo(IConfigurationManager configuration, string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return;
        var sources = configuration.Sources;
        // Before the last environment-variable source (the unprefixed one, after the JSON files), not the first: the
        // web builder's first is the ASPNETCORE_-prefixed one, below appsettings.json.
        int envIndex = sources.ToList().FindLastIndex(s => s.GetType().Name.Contains("EnvironmentVariables", StringComparison.Ordinal));
        var source = new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = ReadValues(path) };
        if (envIndex < 0) sources.Add(source); else sources.Insert(envIndex, source);
    }
}
