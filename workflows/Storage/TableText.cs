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
        int start = 0;
        for (int i = 0; start < text.Length || i == 0; i++)
        {
            int length = Math.Min(ChunkChars, text.Length - start);
            // Never split a surrogate pair: each chunk must be valid UTF-16 on its own.
            if (start + length < text.Length && char.IsHighSurrogate(text[start + length - 1])) length--;
            entity[i == 0 ? name : $"{name}_{i}"] = text.Substring(start, length);
            start += length;
        }
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
