using Eval.Api.Auth;
using Eval.Api.Endpoints;
using Eval.Api.Http;
using Eval.Application;
using Eval.Application.Evidence;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Eval.Api.Handlers;

/// <summary>
/// Evidence files over HTTP: <see cref="EvidenceCommands"/> (slot, complete) and <see cref="EvidenceQueries"/> (download).
/// </summary>
public sealed class EvidenceHandlers(Idempotency idempotency, Authenticator auth, EvidenceCommands commands, EvidenceQueries queries)
{
    public Task<IResult> RequestSlotAsync(HttpRequest request, string campaignId, string branchId) =>
        idempotency.RunAsync(request, async () =>
        {
            Result<EvidenceSlot> slot = await auth.AuthenticateAsync(request).ThenAsync(caller => commands.RequestSlotAsync(caller,
                campaignId, branchId, () => RequestJson.ReadBodyAsync(request), request.HttpContext.RequestAborted));
            return slot.Ok
                ? TypedResults.Created(Location(campaignId, branchId, slot.Value.EvidenceId), slot.Value)
                : slot.Problem.ToResult();
        });

    public Task<IResult> CompleteAsync(HttpRequest request, string campaignId, string branchId, string evidenceId) =>
        idempotency.RunAsync(request, async () =>
        {
            Result<EvidenceView> done = await auth.AuthenticateAsync(request).ThenAsync(caller =>
                commands.CompleteAsync(caller, campaignId, branchId, evidenceId, request.HttpContext.RequestAborted));
            return done.Ok ? TypedResults.Ok(done.Value) : done.Problem.ToResult();
        });

    /// <summary>302 to a read SAS URL of a few minutes; the redirect itself is not to be kept by any cache.</summary>
    public async Task<Results<RedirectHttpResult, ProblemHttpResult>> DownloadAsync(HttpRequest request, string campaignId, string branchId,
        string evidenceId)
    {
        Result<Uri> uri = await auth.AuthenticateAsync(request).ThenAsync(caller =>
            queries.DownloadUriAsync(caller, campaignId, branchId, evidenceId, request.HttpContext.RequestAborted));
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return uri.Ok ? TypedResults.Redirect(uri.Value.AbsoluteUri) : uri.Problem.ToResult();
    }

    static string Location(string campaignId, string branchId, string evidenceId) =>
        $"/{EvalApi.Prefix}/campaigns/{campaignId}/evaluations/{branchId}/evidence/{evidenceId}";
}
