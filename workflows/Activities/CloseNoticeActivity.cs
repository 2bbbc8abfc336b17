using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Activities;

/// <summary>
/// Marks the notice period over (objections are refused from then on), then counts the objections still open.
/// The API files an objection and then re-reads this mark, so none can slip in after the count.
/// </summary>
public sealed class CloseNoticeActivity(CampaignStore campaigns, ObjectionStore objections, ILogger<CloseNoticeActivity> log)
    : EvalActivity<string, int>
{
    public override async Task<int> RunAsync(string campaignId)
    {
        await campaigns.UpdateAsync(campaignId, c => c.NoticeClosed ? c : c with { NoticeClosed = true });
        int open = await objections.CountOpenAsync(campaignId);
        log.LogInformation("Campaign {CampaignId} (instance {InstanceId}) closed its notice with {Open} open objections",
            campaignId, InstanceIds.Campaign(campaignId), open);
        return open;
    }
}
