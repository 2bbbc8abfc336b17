using Azure.Data.Tables;
using Eval.Workflows;
using Eval.Workflows.Domain;

namespace Eval.Bench;

/// <summary>
/// The proposal step as the engine recorded it in the campaign instance's history: when the publication event was
/// raised, when the proposal activity was scheduled and when it completed (the Azure Storage provider's History rows,
/// their event times).
/// </summary>
public sealed record ProposalHistory(double RaisedToScheduledSeconds, double ActivitySeconds)
{
    /// <summary>The history's times, or null when a row is missing (a run stopped before the proposal).</summary>
    public static async Task<ProposalHistory?> ReadAsync(TableServiceClient tables, string hub, string campaignId)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {InstanceIds.Campaign(campaignId)}");
        DateTimeOffset? raised = null, scheduled = null, completed = null;
        int? proposalEventId = null;
        await foreach (TableEntity row in tables.GetTableClient(hub + "History").QueryAsync<TableEntity>(filter,
            select: ["EventType", "Name", "EventId", "TaskScheduledId", "_Timestamp"]))
        {
            DateTimeOffset? at = row.GetDateTimeOffset("_Timestamp");
            switch (row.GetString("EventType"))
            {
                case "EventRaised" when row.GetString("Name") == CampaignEvents.PublicationRequested:
                    raised = at;
                    break;
                case "TaskScheduled" when row.GetString("Name") == TaskNames.ProposeRatings:
                    (scheduled, proposalEventId) = (at, row.GetInt32("EventId"));
                    break;
                case "TaskCompleted" when proposalEventId is not null && row.GetInt32("TaskScheduledId") == proposalEventId:
                    completed = at;
                    break;
            }
        }
        return raised is { } r && scheduled is { } s && completed is { } c
            ? new ProposalHistory(Math.Round((s - r).TotalSeconds, 3), Math.Round((c - s).TotalSeconds, 3))
            : null;
    }
}
