using Azure.Data.Tables;

namespace Eval.Workflows.Storage;

/// <summary>
/// The size Table Storage counts for an entity (its documented formula), against its limit of 1 MiB a row: a write
/// over it fails at the service, so the API refuses such an action itself, before anything is written.
/// </summary>
public static class EntitySize
{
    /// <summary>A little under the service's 1 MiB, for the system properties (Timestamp, ETag) the service adds.</summary>
    public const int Max = 1_000_000;

    public static long Of(TableEntity entity)
    {
        long size = 4 + 2L * (entity.PartitionKey.Length + entity.RowKey.Length);
        foreach (var (name, value) in entity)
        {
            if (name is "PartitionKey" or "RowKey" or "Timestamp" or "odata.etag" || value is null) continue;
            size += 8 + 2L * name.Length + value switch
            {
                string s => 4 + 2L * s.Length,
                byte[] b => 4 + b.Length,
                BinaryData d => 4 + d.ToMemory().Length,
                bool => 1,
                int => 4,
                Guid => 16,
                _ => 8, // long, double, DateTime, DateTimeOffset
            };
        }
        return size;
    }
}

/// <summary>The record would outgrow a table row (the action's text is too long for what it already holds).</summary>
public sealed class RecordTooLargeException(string campaignId, string branchId)
    : Exception($"Evaluation {campaignId}/{branchId} would exceed the {EntitySize.Max} bytes a table row may hold.");
