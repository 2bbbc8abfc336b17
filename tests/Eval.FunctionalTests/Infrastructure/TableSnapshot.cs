using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;

namespace Eval.FunctionalTests.Infrastructure;

/// <summary>Table rows as JSON with their property types, to record storage in a fixture and write it back.</summary>
public static class TableSnapshot
{
    public static JsonArray Export(IEnumerable<TableEntity> rows) => new(rows.Select(row =>
    {
        var properties = new JsonObject();
        foreach ((string name, object? value) in row)
        {
            if (name is "odata.etag" or "Timestamp" || value is null) continue;
            (string type, JsonNode? node) = value switch
            {
                string s => ("string", JsonValue.Create(s)),
                int i => ("int", JsonValue.Create(i)),
                long l => ("long", JsonValue.Create(l)),
                bool b => ("bool", JsonValue.Create(b)),
                double d => ("double", JsonValue.Create(d)),
                DateTimeOffset t => ("datetime", JsonValue.Create(t.ToString("O"))),
                DateTime t => ("datetime", JsonValue.Create(new DateTimeOffset(t.ToUniversalTime()).ToString("O"))),
                Guid g => ("guid", JsonValue.Create(g.ToString())),
                byte[] bytes => ("binary", JsonValue.Create(Convert.ToBase64String(bytes))),
                _ => throw new NotSupportedException($"{name}: {value.GetType()}"),
            };
            properties[name] = new JsonObject { ["type"] = type, ["value"] = node };
        }
        return (JsonNode)properties;
    }).ToArray());

    public static IEnumerable<TableEntity> Import(JsonArray rows, Action<TableEntity>? change = null)
    {
        foreach (JsonObject row in rows.Cast<JsonObject>())
        {
            var entity = new TableEntity();
            foreach ((string name, JsonNode? cell) in row)
            {
                JsonNode value = cell!["value"]!;
                entity[name] = cell["type"]!.GetValue<string>() switch
                {
                    "string" => value.GetValue<string>(),
                    "int" => value.GetValue<int>(),
                    "long" => value.GetValue<long>(),
                    "bool" => value.GetValue<bool>(),
                    "double" => value.GetValue<double>(),
                    "datetime" => DateTimeOffset.Parse(value.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
                    "guid" => Guid.Parse(value.GetValue<string>()),
                    "binary" => Convert.FromBase64String(value.GetValue<string>()),
                    var t => throw new NotSupportedException(t),
                };
            }
            change?.Invoke(entity);
            yield return entity;
        }
    }

    public static async Task<JsonArray> ExportAsync(TableClient table, string partitionKey)
    {
        var rows = new List<TableEntity>();
        await foreach (TableEntity e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}")))
            rows.Add(e);
        return Export(rows);
    }

    public static async Task ImportAsync(TableClient table, JsonArray rows, Action<TableEntity>? change = null)
    {
        await table.CreateIfNotExistsAsync();
        foreach (TableEntity e in Import(rows, change)) await table.UpsertEntityAsync(e, TableUpdateMode.Replace);
    }

    public static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
