using Eval.Application;
using Eval.Api.Auth;
using Eval.Api.Http;
using Eval.Workflows.Domain;
using Eval.Workflows.Storage;
using Microsoft.AspNetCore.Http;

namespace Eval.Api.Handlers;

/// <summary>GET /api/campaigns/{cid}/audit/verify: recomputes the campaign's audit chains and names the first broken link.</summary>
public sealed class AuditHandlers(Authenticator auth, CampaignAccess access, AuditVerifier verifier)
{
    public async Task<IResult> VerifyAsync(HttpRequest request, string campaignId)
    {
        var (caller, denied) = await auth.AuthenticateAsync(request);
        if (denied is not null) return denied;
        var (campaign, _, missing) = await access.LoadAsync(campaignId, request.HttpContext.RequestAborted);
        if (missing is not null) return missing.ToResult();
        if (!CampaignAccess.CanRun(caller!, campaign!))
            return Problems.Forbidden("Only the organization department of the campaign's unit verifies its audit log.");
        AuditVerification result = await verifier.VerifyAsync(campaignId, campaign!.Status == CampaignStatus.Published,
            request.HttpContext.RequestAborted);
        return Results.Ok(new AuditVerificationView(campaignId, result.Intact, result.Chains, result.Links, result.FirstBreak));
    }
}
