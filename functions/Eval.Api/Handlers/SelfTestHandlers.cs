using Eval.Api.Endpoints;
using Eval.Api.Auth;
using Eval.Api.Http;
using Eval.Application;
using Eval.Application.SelfTests;
using Eval.Workflows.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;

namespace Eval.Api.Handlers;

/// <summary>
/// The deployment self-test over HTTP: <see cref="SelfTestCommands"/> starts and confirms one, <see cref="SelfTestQueries"/> reads it.
/// </summary>
public sealed class SelfTestHandlers(Idempotency idempotency, Authenticator auth, SelfTestCommands commands, SelfTestQueries queries)
{
    public Task<IResult> StartAsync(HttpRequest request, DurableTaskClient client) =>
        idempotency.RunAsync(request, async () =>
        {
            Result<SelfTestInput> started = await auth.AuthenticateAsync(request).ThenAsync(caller =>
                commands.StartAsync(caller, () => RequestJson.ReadBodyAsync(request), Idempotency.OperationOf(request), client));
            return started.Ok
                ? TypedResults.Accepted($"/{EvalApi.Prefix}/selftests/{started.Value.Id}",
                    new SelfTestStarted(started.Value.Id, started.Value.Deadline))
                : started.Problem.ToResult();
        });

    public Task<IResult> ConfirmAsync(HttpRequest request, DurableTaskClient client, string id) =>
        idempotency.RunAsync(request, async () =>
        {
            Result<SelfTestConfirmation> confirmed = await auth.AuthenticateAsync(request).ThenAsync(caller =>
                commands.ConfirmAsync(caller, id, () => RequestJson.ReadBodyAsync(request, optional: true), client,
                    request.HttpContext.RequestAborted));
            return confirmed.Ok ? TypedResults.Accepted($"/{EvalApi.Prefix}/selftests/{id}") : confirmed.Problem.ToResult();
        });

    public async Task<Results<Ok<SelfTestView>, ProblemHttpResult>> GetAsync(HttpRequest request, string id) =>
        (await auth.AuthenticateAsync(request).ThenAsync(caller => queries.GetAsync(caller, id, request.HttpContext.RequestAborted)))
            .ToOk();
}
