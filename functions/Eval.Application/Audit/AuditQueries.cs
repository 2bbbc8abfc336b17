using Eval.Workflows.Storage;

namespace Eval.Application.Audit;

/// <summary>The result of recomputing a campaign's audit chains.</summary>
/// <param name="EvidenceFiles">How many verified evidence files were checked against their recorded SHA-256.</param>
public sealed record AuditVerificationView(string CampaignId, bool Intact, int Chains, int Links, AuditBreak? FirstBroken,
    int EvidenceFiles);

/// <summary>Checking a campaign's hash-chained audit log.</summary>
public sealed class AuditQueries(CampaignAccess access, AuditVerifier verifier, StatementVerifier statements)
{
    /// <summary>Recomputes the campaign's audit chains and names the first broken link.</summary>
    public async Task<Result<AuditVerificationView>> VerifyAsync(Caller caller, string campaignId, CancellationToken ct)
    {
        var (campaign, _, missing) = await access.LoadAsync(campaignId, ct);
        if (missing is not null) return missing;
        if (!CampaignAccess.CanRun(caller, campaign!))
            return Problem.Forbidden("Only the organization department of the campaign's unit verifies its audit log.");
        AuditVerification result = await verifier.VerifyAsync(campaign!, ct);
        // Then what the newest signed list pins: chain heads, the list and the register (chain "statement", link = version).
        AuditBreak? unsigned = result.Intact ? await statements.VerifyAsync(campaignId, campaign!.StatementVersion, ct) : null;
        return new AuditVerificationView(campaignId, result.Intact && unsigned is null, result.Chains, result.Links,
            result.FirstBreak ?? unsigned, result.Files);
    }
}
