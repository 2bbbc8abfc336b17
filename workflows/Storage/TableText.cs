using Azure.Data.Tables;

namespace Eval.Workflows.Storage;

/// <summary>
/// Long text in table properties. A string property holds at most 64 KiB (32K UTF-16 chars), so text beyond
/// that is split over Name, Name_1, Name_2 ... (an entity may hold 1 MiB in all).
/// </summary>
public static class TableText
{
    const int ChunkChars = 30_000;

    public static void Write(TableEntity entity, string name, string? text)
    {
        for (int i = 1; entity.ContainsKey($"{name}_{i}"); i++) entity.Remove($"{name}_{i}");
        if (text is null) { entity[name] = null; return; }
        entity[name] = text.Length <= ChunkChars ? text : text[..ChunkChars];
        for (int i = 1; i * ChunkChars < text.Length; i++)
            entity[$"{name}_{i}"] = text.Substring(i * ChunkChars, Math.Min(ChunkChars, text.Length - i * ChunkChars));
    }

    public static string? Read(TableEntity entity, string name)
    {
        string? first = entity.GetString(name);
        if (first is null || !entity.ContainsKey($"{name}_1")) return first;
        var all = new System.Text.StringBuilder(first);
        for (int i = 1; entity.GetString($"{name}_{i}") is { } more; i++) all.Append(more);
        return all.ToString();
    }
}
