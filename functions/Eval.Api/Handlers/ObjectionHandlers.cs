using Eval.Api.Endpoints;
using Eval.Application;
using Eval.Application.Objections;
using Eval.Api.Auth;
using Eval.Api.Http;
using Eval.Workflows.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;

namespace Eval.Api.Handlers;

/// <summary>Objections over HTTP: the commands of <see cref="ObjectionCommands"/>, the reads of <see cref="ObjectionQueries"/>.</summary>
public sealed class ObjectionHandlers(Idempotency idempotency, Authenticator auth, ObjectionCommands commands, ObjectionQueries queries)
{
    public Task<IResult> FileAsync(HttpRequest request, DurableTaskClient client, string campaignId) =>
        idempotency.RunAsync(request, async () =>
        {
            Result<ObjectionRecord> filed = await auth.AuthenticateAsync(request).ThenAsync(caller => commands.FileAsync(caller,
                campaignId, () => RequestJson.ReadBodyAsync(request), Idempotency.OperationOf(request), client,
                request.HttpContext.RequestAborted));
            return filed.Ok
                ? TypedResults.Accepted($"/{EvalApi.Prefix}/campaigns/{campaignId}/objections/{filed.Value.Id}",
                    new ObjectionAccepted(filed.Value.Id, filed.Value.Status))
                : filed.Problem.ToResult();
        });

    public Task<IResult> ResolveAsync(HttpRequest request, DurableTaskClient client, string campaignId, string objectionId) =>
        idempotency.RunAsync(request, async () =>
        {
            Result<ObjectionRecord> resolved = await auth.AuthenticateAsync(request).ThenAsync(caller => commands.ResolveAsync(caller,
                campaignId, objectionId, () => RequestJson.ReadBodyAsync(request), Idempotency.OperationOf(request), client,
                request.HttpContext.RequestAborted));
            return resolved.Ok ? TypedResults.Ok(ResolutionView(resolved.Value)) : resolved.Problem.ToResult();
        });

    public Task<IResult> ResolveManyAsync(HttpRequest request, DurableTaskClient client, string campaignId) =>
        idempotency.RunAsync(request, async () =>
        {
            Result<Resolutions> done = await auth.AuthenticateAsync(request).ThenAsync(caller => commands.ResolveManyAsync(caller,
                campaignId, () => RequestJson.ReadBodyAsync(request), Idempotency.OperationOf(request), client,
                request.HttpContext.RequestAborted));
            return done.Ok
                ? TypedResults.Ok(new ObjectionResolutionsView(campaignId, [.. done.Value.Resolved.Select(ResolutionView)],
                    [.. done.Value.AlreadyResolved.Select(ResolutionView)]))
                : done.Problem.ToResult();
        });

    public async Task<Results<Ok<ObjectionList>, ProblemHttpResult>> ListAsync(HttpRequest request, string campaignId)
    {
        IQueryCollection q = request.Query;
        return (await auth.AuthenticateAsync(request).ThenAsync(caller => queries.ListAsync(caller, campaignId,
            q["status"].FirstOrDefault(), q["pageSize"].FirstOrDefault(), q["continuationToken"].FirstOrDefault(),
            request.HttpContext.RequestAborted))).ToOk();
    }

    public async Task<Results<Ok<ObjectionView>, ProblemHttpResult>> GetAsync(HttpRequest request, string campaignId, string objectionId) =>
        (await auth.AuthenticateAsync(request)
            .ThenAsync(caller => queries.GetAsync(caller, campaignId, objectionId, request.HttpContext.RequestAborted))).ToOk();

    static ObjectionResolutionView ResolutionView(ObjectionRecord o) => new(o.Id, o.BranchId, o.Status, o.Comment, o.ResolvedAt);
}
