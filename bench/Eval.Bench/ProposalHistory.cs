using Azure.Data.Tables;
using Eval.Workflows;
using Eval.Workflows.Domain;

namespace Eval.Bench;

/// <summary>
/// The proposal step as the engine recorded it in the campaign instance's history (the Azure Storage provider's History
/// rows, their event times): from the publication event raised to the workflow's turn that took it in
/// (<see cref="DeliverySeconds"/>), to the proposal activity scheduled (<see cref="RaisedToScheduledSeconds"/>, which
/// holds the <see cref="UnfinishedChecks"/> counts of unfinished evaluations, 2 s apart while any is left), and from
/// then to its completion (<see cref="ActivitySeconds"/>).
/// </summary>
public sealed record ProposalHistory(double DeliverySeconds, double RaisedToScheduledSeconds, int UnfinishedChecks, double ActivitySeconds)
{
    /// <summary>The history's times, or null when a row is missing (a run stopped before the proposal).</summary>
    public static async Task<ProposalHistory?> ReadAsync(TableServiceClient tables, string hub, string campaignId)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {InstanceIds.Campaign(campaignId)}");
        DateTimeOffset? raised = null, turnStarted = null, delivered = null, scheduled = null, completed = null;
        int? proposalEventId = null;
        int checks = 0;
        await foreach (TableEntity row in tables.GetTableClient(hub + "History").QueryAsync<TableEntity>(filter,
            select: ["EventType", "Name", "EventId", "TaskScheduledId", "_Timestamp"]))
        {
            DateTimeOffset? at = row.GetDateTimeOffset("_Timestamp");
            switch (row.GetString("EventType"))
            {
                // The rows of one turn of the workflow follow its OrchestratorStarted.
                case "OrchestratorStarted":
                    turnStarted = at;
                    break;
                case "EventRaised" when row.GetString("Name") == CampaignEvents.PublicationRequested:
                    (raised, delivered) = (at, turnStarted);
                    break;
                case "TaskScheduled" when raised is not null && scheduled is null &&
                                          row.GetString("Name") == TaskNames.CountUnfinishedEvaluations:
                    checks++;
                    break;
                case "TaskScheduled" when row.GetString("Name") == TaskNames.ProposeRatings:
                    (scheduled, proposalEventId) = (at, row.GetInt32("EventId"));
                    break;
                case "TaskCompleted" when proposalEventId is not null && row.GetInt32("TaskScheduledId") == proposalEventId:
                    completed = at;
                    break;
            }
        }
        return raised is { } r && delivered is { } d && scheduled is { } s && completed is { } c
            ? new ProposalHistory(Seconds(d - r), Seconds(s - r), checks, Seconds(c - s))
            : null;
    }

    static double Seconds(TimeSpan t) => Math.Round(t.TotalSeconds, 3);
}
