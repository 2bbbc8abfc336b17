using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Activities;

/// <summary>
/// Closes one branch's members' appraisal when its window has passed: seals the ballot box (no ballot gets in after) and
/// counts it by the campaign's appraisal (participation, validity, satisfaction, the count of each choice). Idempotent: a
/// sealed box is counted as it is.
/// </summary>
public sealed class CloseAppraisalActivity(AppraisalStore appraisals, ILogger<CloseAppraisalActivity> log)
    : EvalActivity<CloseAppraisalInput, AppraisalResult>
{
    public override async Task<AppraisalResult> RunAsync(CloseAppraisalInput input)
    {
        BallotBox box = await appraisals.SealAsync(input.CampaignId, input.BranchId);
        AppraisalResult result = AppraisalResult.Count(input.Appraisal, box.Eligible, box.Counts, box.Ballots);
        log.LogInformation("Appraisal of {CampaignId}/{BranchId} closed: {Ballots} of {Eligible} voted, valid {Valid}",
            input.CampaignId, input.BranchId, result.Ballots, result.Eligible, result.Valid);
        return result;
    }
}
