using Eval.Workflows.Domain;
using Eval.Workflows.Outbox;
using Eval.Workflows.Storage;
using Microsoft.DurableTask.Client;

namespace Eval.Workflows.Activities;

/// <summary>
/// One pass of a campaign's outbox sweep: raises again the accepted actions that have not reached their workflow
/// (one partition query, filtered to the evaluations whose outbox is not empty: a step's event, an urging or an extension),
/// and the campaign's publication request
/// if its workflow is still waiting for it. The sweep goes on while the campaign runs.
/// </summary>
public sealed class RelayAcceptedActionsActivity(
    CampaignStore campaigns, EvaluationStore evaluations, AcceptedActionRelay relay, IServiceProvider services)
    : ClientActivity<string, OutboxSweepResult>(services)
{
    public override async Task<OutboxSweepResult> RunAsync(string campaignId, DurableTaskClient client)
    {
        int raised = 0;
        foreach (EvaluationRecord record in await evaluations.WithOutboxAsync(campaignId))
            raised += await relay.RelayOverdueAsync(client, record) + await relay.RelaySupervisionAsync(client, record);
        CampaignRecord? campaign = (await campaigns.GetAsync(campaignId))?.Record;
        if (campaign is not null && await relay.RelayPublicationAsync(client, campaign)) raised++;
        return new OutboxSweepResult(raised, campaign?.Status == CampaignStatus.Running);
    }
}
