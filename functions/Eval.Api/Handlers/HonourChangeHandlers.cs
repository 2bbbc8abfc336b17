using Eval.Api.Auth;
using Eval.Api.Endpoints;
using Eval.Api.Http;
using Eval.Application;
using Eval.Application.Evidence;
using Eval.Application.Honours;
using Eval.Workflows.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;

namespace Eval.Api.Handlers;

/// <summary>
/// Changes of honours (动态管理) over HTTP: the commands of <see cref="HonourChangeCommands"/>, the reads of
/// <see cref="HonourChangeQueries"/>.
/// </summary>
public sealed class HonourChangeHandlers(Idempotency idempotency, Authenticator auth, HonourChangeCommands commands,
    HonourChangeQueries queries)
{
    public Task<IResult> ProposeAsync(HttpRequest request, DurableTaskClient client, string campaignId, string branchId) =>
        idempotency.RunAsync(request, async () =>
        {
            Result<HonourChange> proposed = await auth.AuthenticateAsync(request).ThenAsync(caller => commands.ProposeAsync(caller,
                campaignId, branchId, () => RequestJson.ReadBodyAsync(request), Idempotency.OperationOf(request), client,
                request.HttpContext.RequestAborted));
            return proposed.Ok
                ? TypedResults.Accepted(Location(campaignId, branchId, proposed.Value.Id),
                    new HonourChangeAccepted(proposed.Value.Id, proposed.Value.Status, proposed.Value.DecisionDue))
                : proposed.Problem.ToResult();
        });

    public Task<IResult> DecideAsync(HttpRequest request, DurableTaskClient client, string campaignId, string branchId, string changeId) =>
        idempotency.RunAsync(request, async () =>
        {
            Result<HonourChange> decided = await auth.AuthenticateAsync(request).ThenAsync(caller => commands.DecideAsync(caller,
                campaignId, branchId, changeId, () => RequestJson.ReadBodyAsync(request), Idempotency.OperationOf(request), client,
                request.HttpContext.RequestAborted));
            if (!decided.Ok) return decided.Problem.ToResult();
            HonourChangeDecision d = decided.Value.Decision!;
            return TypedResults.Accepted(Location(campaignId, branchId, changeId),
                new HonourChangeDecisionAccepted(changeId, d.Approve, d.Notice, d.At));
        });

    public Task<IResult> ObjectAsync(HttpRequest request, DurableTaskClient client, string campaignId, string branchId, string changeId) =>
        idempotency.RunAsync(request, async () =>
        {
            Result<HonourChangeObjection> filed = await auth.AuthenticateAsync(request).ThenAsync(caller => commands.ObjectAsync(caller,
                campaignId, branchId, changeId, () => RequestJson.ReadBodyAsync(request), Idempotency.OperationOf(request), client,
                request.HttpContext.RequestAborted));
            return filed.Ok
                ? TypedResults.Accepted(Location(campaignId, branchId, changeId), new ObjectionAccepted(filed.Value.Id, filed.Value.Status))
                : filed.Problem.ToResult();
        });

    public Task<IResult> ResolveObjectionAsync(HttpRequest request, DurableTaskClient client, string campaignId, string branchId,
        string changeId, string objectionId) =>
        idempotency.RunAsync(request, async () =>
        {
            Result<HonourChangeObjection> resolved = await auth.AuthenticateAsync(request).ThenAsync(caller =>
                commands.ResolveObjectionAsync(caller, campaignId, branchId, changeId, objectionId,
                    () => RequestJson.ReadBodyAsync(request), Idempotency.OperationOf(request), client,
                    request.HttpContext.RequestAborted));
            return resolved.Ok
                ? TypedResults.Ok(new HonourChangeObjectionResolved(resolved.Value.Id, changeId, resolved.Value.Status,
                    resolved.Value.Comment, resolved.Value.ResolvedAt))
                : resolved.Problem.ToResult();
        });

    public async Task<Results<Ok<HonourChangeList>, ProblemHttpResult>> ListAsync(HttpRequest request, string campaignId,
        string branchId) =>
        (await auth.AuthenticateAsync(request)
            .ThenAsync(caller => queries.ListAsync(caller, campaignId, branchId, request.HttpContext.RequestAborted))).ToOk();

    public async Task<Results<Ok<HonourChangeView>, ProblemHttpResult>> GetAsync(HttpRequest request, string campaignId, string branchId,
        string changeId) =>
        (await auth.AuthenticateAsync(request)
            .ThenAsync(caller => queries.GetAsync(caller, campaignId, branchId, changeId, request.HttpContext.RequestAborted))).ToOk();

    public Task<IResult> RequestEvidenceSlotAsync(HttpRequest request, string campaignId, string branchId) =>
        idempotency.RunAsync(request, async () =>
        {
            Result<EvidenceSlot> slot = await auth.AuthenticateAsync(request).ThenAsync(caller => commands.RequestEvidenceSlotAsync(caller,
                campaignId, branchId, () => RequestJson.ReadBodyAsync(request), request.HttpContext.RequestAborted));
            return slot.Ok
                ? TypedResults.Created($"{EvidenceRoute(campaignId, branchId)}/{slot.Value.EvidenceId}", slot.Value)
                : slot.Problem.ToResult();
        });

    public Task<IResult> CompleteEvidenceAsync(HttpRequest request, string campaignId, string branchId, string evidenceId) =>
        idempotency.RunAsync(request, async () =>
        {
            Result<EvidenceView> done = await auth.AuthenticateAsync(request).ThenAsync(caller =>
                commands.CompleteEvidenceAsync(caller, campaignId, branchId, evidenceId, request.HttpContext.RequestAborted));
            return done.Ok ? TypedResults.Ok(done.Value) : done.Problem.ToResult();
        });

    /// <summary>302 to a read SAS URL of a few minutes; the redirect itself is not to be kept by any cache.</summary>
    public async Task<Results<RedirectHttpResult, ProblemHttpResult>> DownloadEvidenceAsync(HttpRequest request, string campaignId,
        string branchId, string evidenceId)
    {
        Result<Uri> uri = await auth.AuthenticateAsync(request).ThenAsync(caller =>
            queries.DownloadUriAsync(caller, campaignId, branchId, evidenceId, request.HttpContext.RequestAborted));
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return uri.Ok ? TypedResults.Redirect(uri.Value.AbsoluteUri) : uri.Problem.ToResult();
    }

    static string Location(string campaignId, string branchId, string changeId) =>
        $"/{EvalApi.Prefix}/campaigns/{campaignId}/honours/{branchId}/changes/{changeId}";

    static string EvidenceRoute(string campaignId, string branchId) =>
        $"/{EvalApi.Prefix}/campaigns/{campaignId}/honours/{branchId}/change-evidence";
}
