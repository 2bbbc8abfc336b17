using Eval.Application;
using Eval.Application.Audit;
using Eval.Api.Auth;
using Eval.Api.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Eval.Api.Handlers;

/// <summary>GET /api/campaigns/{cid}/audit/verify: recomputes the campaign's audit chains and names the first broken link.</summary>
public sealed class AuditHandlers(Authenticator auth, AuditQueries queries)
{
    public async Task<Results<Ok<AuditVerificationView>, ProblemHttpResult>> VerifyAsync(HttpRequest request, string campaignId) =>
        (await auth.AuthenticateAsync(request)
            .ThenAsync(caller => queries.VerifyAsync(caller, campaignId, request.HttpContext.RequestAborted))).ToOk();
}
