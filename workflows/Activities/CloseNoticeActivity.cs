using Eval.Workflows.Storage;

namespace Eval.Workflows.Activities;

/// <summary>
/// Marks the notice period over (objections are refused from then on), then counts the objections still open.
/// The API files an objection and then re-reads this mark, so none can slip in after the count.
/// </summary>
public sealed class CloseNoticeActivity(CampaignStore campaigns, ObjectionStore objections) : EvalActivity<string, int>
{
    public override async Task<int> RunAsync(string campaignId)
    {
        await campaigns.UpdateAsync(campaignId, c => c.NoticeClosed ? c : c with { NoticeClosed = true });
        return await objections.CountOpenAsync(campaignId);
    }
}
