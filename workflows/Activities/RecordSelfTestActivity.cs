using Azure;
using Azure.Data.Tables;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;

namespace Eval.Workflows.Activities;

/// <summary>
/// Writes the self-test's current state to table SelfTests. The outcome (confirmed or expired) replaces the row; the
/// first state, waiting, is only ever inserted: after a crash its activity message can be delivered again after the
/// outcome was written, and must not turn a finished self-test back to waiting. So replays and redeliveries are harmless.
/// </summary>
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
        TableClient table = tables.Table(EvalTables.SelfTests);
        if (record.Status != SelfTestStatus.Waiting)
        {
            await table.UpsertEntityAsync(entity, TableUpdateMode.Replace);
            return true;
        }
        try
        {
            await table.AddEntityAsync(entity);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false; // written before: by this very step, or the outcome is there already
        }
    }
}
