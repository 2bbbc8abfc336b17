using Azure.Data.Tables;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.Workflows.Activities;

/// <summary>Writes the self-test's current state to table SelfTests (an upsert: replays and redeliveries are harmless).</summary>
public sealed class RecordSelfTestActivity(EvalTables tables) : EvalActivity<SelfTestRecord, bool>
{
    public const string PartitionKey = "selftest";

    public override async Task<bool> RunAsync(SelfTestRecord record)
    {
        var entity = new TableEntity(PartitionKey, record.Id)
        {
            ["Status"] = record.Status,
            ["RequestedBy"] = record.RequestedBy,
            ["Deadline"] = record.Deadline,
            ["ConfirmedBy"] = record.ConfirmedBy,
            ["At"] = record.At,
        };
        await tables.Table(EvalTables.SelfTests).UpsertEntityAsync(entity, TableUpdateMode.Replace);
        return true;
    }
}
