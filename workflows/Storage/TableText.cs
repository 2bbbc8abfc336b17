using Azure.Data.Tables;

namespace Eval.Workflows.Storage;

/// <summary>
/// Long values in table properties. A string property holds at most 64 KiB (32K UTF-16 chars), and so does a binary
/// one, so a value beyond that is split over Name, Name_1, Name_2 ... (an entity may hold 1 MiB in all).
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

    const int ChunkBytes = 60_000;

    /// <summary>Bytes split as text is, in binary properties of at most 60,000 bytes; at least Name is written.</summary>
    public static void WriteBytes(TableEntity entity, string name, byte[] bytes)
    {
        for (int i = 0; i == 0 || i * ChunkBytes < bytes.Length; i++)
            entity[i == 0 ? name : $"{name}_{i}"] =
                bytes.AsSpan(i * ChunkBytes, Math.Min(ChunkBytes, bytes.Length - i * ChunkBytes)).ToArray();
    }

    public static byte[] ReadBytes(TableEntity entity, string name)
    {
        var all = new MemoryStream();
        for (int i = 0; entity.GetBinary(i == 0 ? name : $"{name}_{i}") is { } chunk; i++) all.Write(chunk);
        return all.ToArray();
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
