using Eval.Api.Auth;
using Eval.Api.Endpoints;
using Eval.Api.Http;
using Eval.Application;
using Eval.Application.Evaluations;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;

namespace Eval.Api.Handlers;

/// <summary>
/// Supervision (督办) of an evaluation's waiting step: urging it and extending its deadline (<see cref="SupervisionCommands"/>).
/// </summary>
public sealed class SupervisionHandlers(Idempotency idempotency, Authenticator auth, SupervisionCommands commands)
{
    /// <summary>An urging: 202 to the evaluation, whose workflow records it and has whom the step waits on told.</summary>
    public Task<IResult> UrgeAsync(HttpRequest request, DurableTaskClient client, string campaignId, string branchId) =>
        RunAsync(request, campaignId, branchId, (caller, ct) => commands.UrgeAsync(caller, campaignId, branchId,
            () => RequestJson.ReadBodyAsync(request), Idempotency.OperationOf(request), client, ct));

    /// <summary>A deadline extension: 202 to the evaluation, whose workflow re-arms the step's timer.</summary>
    public Task<IResult> ExtendAsync(HttpRequest request, DurableTaskClient client, string campaignId, string branchId) =>
        RunAsync(request, campaignId, branchId, (caller, ct) => commands.ExtendAsync(caller, campaignId, branchId,
            () => RequestJson.ReadBodyAsync(request), Idempotency.OperationOf(request), client, ct));

    Task<IResult> RunAsync(HttpRequest request, string campaignId, string branchId,
        Func<Caller, CancellationToken, Task<Result<SupervisionAccepted>>> command) =>
        idempotency.RunAsync(request, () => auth.AuthenticateAsync(request), async caller =>
        {
            if (!caller.Ok) return caller.Problem.ToResult();
            Result<SupervisionAccepted> accepted = await command(caller.Value, request.HttpContext.RequestAborted);
            return accepted.Ok
                ? TypedResults.Accepted($"/{EvalApi.Prefix}/campaigns/{campaignId}/evaluations/{branchId}", accepted.Value)
                : accepted.Problem.ToResult();
        });
}
