using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Eval.Workflows.Activities;

/// <summary>
/// Signs the campaign's list as stored now, for a reason (its publication, a change of an honour); once per reason, and
/// not for a change whose branch the newest list already shows as the register does.
/// </summary>
public sealed class SignStatementActivity(StatementIssuer issuer, ILogger<SignStatementActivity> log)
    : EvalActivity<SignStatementInput, int>
{
    public override async Task<int> RunAsync(SignStatementInput input)
    {
        StatementRecord statement = await issuer.IssueAsync(input.CampaignId, input.Reason, input.BranchId);
        log.LogInformation("Campaign {CampaignId}: list signed as version {Version} ({Reason}, key {Kid})",
            input.CampaignId, statement.Version, statement.Reason, statement.Kid);
        return statement.Version;
    }
}
