using System.Text.Json;
using System.Text.Json.Nodes;

namespace Eval.FunctionalTests.Infrastructure;

/// <summary>
/// Compares JSON as JSON Schemas and OpenAPI documents mean it: object keys in any order, numbers by value (1000 and
/// 1000.0 alike), and the set-valued keywords (required, enum, type) in any order, a lone type like a one-item list.
/// </summary>
public static class JsonSemantics
{
    static readonly HashSet<string> SetValued = ["required", "enum", "type"];

    /// <summary>Null when equal, else where and how they first differ.</summary>
    public static string? FirstDifference(JsonNode? expected, JsonNode? actual, string path = "", string? key = null)
    {
        if (key is not null && SetValued.Contains(key))
        {
            string[] a = AsSet(expected), b = AsSet(actual);
            return a.SequenceEqual(b) ? null : $"{path}: [{string.Join(", ", a)}] vs [{string.Join(", ", b)}]";
        }
        switch (expected, actual)
        {
            case (null, null):
                return null;
            case (JsonObject e, JsonObject a):
                foreach (string k in e.Select(p => p.Key).Union(a.Select(p => p.Key)).Order(StringComparer.Ordinal))
                {
                    if (!e.ContainsKey(k)) return $"{path}/{k}: only in the second";
                    if (!a.ContainsKey(k)) return $"{path}/{k}: only in the first";
                    // Under "properties" (and the like) the keys are names, not keywords.
                    bool named = key is "properties" or "$defs" or "definitions" or "patternProperties";
                    if (FirstDifference(e[k], a[k], $"{path}/{k}", named ? null : k) is { } d) return d;
                }
                return null;
            case (JsonArray e, JsonArray a):
                if (e.Count != a.Count) return $"{path}: {e.Count} items vs {a.Count}";
                for (int i = 0; i < e.Count; i++)
                    if (FirstDifference(e[i], a[i], $"{path}/{i}") is { } d) return d;
                return null;
            case (JsonValue e, JsonValue a):
                if (e.GetValueKind() == JsonValueKind.Number && a.GetValueKind() == JsonValueKind.Number)
                    return e.GetValue<decimal>() == a.GetValue<decimal>() ? null : $"{path}: {e} vs {a}";
                return e.ToJsonString() == a.ToJsonString() ? null : $"{path}: {e.ToJsonString()} vs {a.ToJsonString()}";
            default:
                return $"{path}: {expected?.ToJsonString() ?? "absent"} vs {actual?.ToJsonString() ?? "absent"}";
        }
    }

    static string[] AsSet(JsonNode? node) => node switch
    {
        JsonArray a => a.Select(i => i?.ToJsonString() ?? "null").Order(StringComparer.Ordinal).ToArray(),
        null => [],
        _ => [node.ToJsonString()],
    };
}
