using Eval.Workflows.Domain;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Orchestrations;

/// <summary>
/// An eternal orchestration per running campaign: every interval it raises again the accepted actions whose events
/// never reached their evaluation (docs/workflows.md, "The outbox"), then continues as new, so its history is one
/// pass long. It ends when the campaign stops running evaluations (publicity or published).
/// </summary>
public sealed class OutboxSweepOrchestrator : TaskOrchestrator<OutboxSweepInput, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, OutboxSweepInput input)
    {
        ILogger log = context.CreateReplaySafeLogger<OutboxSweepOrchestrator>();
        await context.CreateTimer(input.Interval, CancellationToken.None);
        try
        {
            OutboxSweepResult pass = await context.CallActivityAsync<OutboxSweepResult>(TaskNames.RelayAcceptedActions,
                input.CampaignId, ActivityRetry.Options);
            if (!pass.KeepSweeping)
            {
                log.LogInformation("Outbox sweep of campaign {CampaignId} (instance {InstanceId}) ends: " +
                    "the campaign no longer runs evaluations",
                    input.CampaignId, context.InstanceId);
                return pass.Raised;
            }
        }
        catch (TaskFailedException e)
        {
            // A storage outage longer than the retries: the next pass tries again; the sweep itself must not end.
            log.LogWarning("Outbox sweep of campaign {CampaignId} (instance {InstanceId}) failed a pass: {Error}",
                input.CampaignId, context.InstanceId, e.Message);
        }
        context.ContinueAsNew(input);
        return 0;
    }
}
