using Eval.Api.Auth;
using Eval.Api.Endpoints;
using Eval.Api.Http;
using Eval.Application;
using Eval.Application.Appraisals;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Eval.Api.Handlers;

/// <summary>
/// The members' appraisal over HTTP: <see cref="AppraisalCommands"/> (roster, ballots) and <see cref="AppraisalQueries"/>.
/// </summary>
public sealed class AppraisalHandlers(Idempotency idempotency, Authenticator auth, AppraisalCommands commands, AppraisalQueries queries)
{
    public Task<IResult> SetRosterAsync(HttpRequest request, string campaignId, string branchId) =>
        idempotency.RunAsync(request, async () =>
        {
            Result<AppraisalRosterSet> set = await auth.AuthenticateAsync(request).ThenAsync(caller => commands.SetRosterAsync(caller,
                campaignId, branchId, () => RequestJson.ReadBodyAsync(request), request.HttpContext.RequestAborted));
            return set.Ok ? TypedResults.Ok(set.Value) : set.Problem.ToResult();
        });

    /// <summary>
    /// Not through <see cref="Idempotency"/>: its kept key and body hash would tie the member to the ballot. The store's
    /// one-ballot rule answers a repeat (409).
    /// </summary>
    public async Task<IResult> CastAsync(HttpRequest request, string campaignId, string branchId)
    {
        Result<BallotCounted> cast = await auth.AuthenticateAsync(request).ThenAsync(caller => commands.CastAsync(caller, campaignId,
            branchId, () => RequestJson.ReadBodyAsync(request), request.HttpContext.RequestAborted));
        return cast.Ok
            ? TypedResults.Accepted($"/{EvalApi.Prefix}/campaigns/{campaignId}/evaluations/{branchId}/appraisal", cast.Value)
            : cast.Problem.ToResult();
    }

    public async Task<Results<Ok<AppraisalView>, ProblemHttpResult>> GetAsync(HttpRequest request, string campaignId, string branchId) =>
        (await auth.AuthenticateAsync(request)
            .ThenAsync(caller => queries.GetAsync(caller, campaignId, branchId, request.HttpContext.RequestAborted))).ToOk();
}
