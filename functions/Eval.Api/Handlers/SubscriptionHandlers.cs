using Eval.Api.Auth;
using Eval.Api.Endpoints;
using Eval.Api.Http;
using Eval.Application;
using Eval.Application.Notifications;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Eval.Api.Handlers;

/// <summary>
/// Webhook subscriptions over HTTP: the commands of <see cref="SubscriptionCommands"/>, the reads of
/// <see cref="SubscriptionQueries"/>. No Idempotency-Key is kept here: two answers hold a secret, which must not be kept.
/// </summary>
public sealed class SubscriptionHandlers(Authenticator auth, SubscriptionCommands commands, SubscriptionQueries queries)
{
    public async Task<Results<Created<SubscriptionCreated>, ProblemHttpResult>> CreateAsync(HttpRequest request)
    {
        Result<SubscriptionCreated> created = await auth.AuthenticateAsync(request).ThenAsync(caller =>
            commands.CreateAsync(caller, () => RequestJson.ReadBodyAsync(request), request.HttpContext.RequestAborted));
        if (!created.Ok) return created.Problem.ToResult();
        NoStore(request);
        return TypedResults.Created(Location(created.Value.Id), created.Value);
    }

    public async Task<Results<Ok<SubscriptionList>, ProblemHttpResult>> ListAsync(HttpRequest request) =>
        (await auth.AuthenticateAsync(request).ThenAsync(caller =>
            queries.ListAsync(caller, request.Query["unit"].FirstOrDefault(), request.HttpContext.RequestAborted))).ToOk();

    public async Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> GetAsync(HttpRequest request, string id) =>
        (await auth.AuthenticateAsync(request)
            .ThenAsync(caller => queries.GetAsync(caller, id, request.HttpContext.RequestAborted))).ToOk();

    public async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(HttpRequest request, string id)
    {
        Result<SubscriptionView> deleted = await auth.AuthenticateAsync(request)
            .ThenAsync(caller => commands.DeleteAsync(caller, id, request.HttpContext.RequestAborted));
        return deleted.Ok ? TypedResults.NoContent() : deleted.Problem.ToResult();
    }

    public async Task<Results<Ok<SubscriptionSecret>, ProblemHttpResult>> RotateSecretAsync(HttpRequest request, string id)
    {
        Result<SubscriptionSecret> rotated = await auth.AuthenticateAsync(request)
            .ThenAsync(caller => commands.RotateSecretAsync(caller, id, request.HttpContext.RequestAborted));
        if (!rotated.Ok) return rotated.Problem.ToResult();
        NoStore(request);
        return TypedResults.Ok(rotated.Value);
    }

    public async Task<Results<Ok<DeliveryList>, ProblemHttpResult>> DeliveriesAsync(HttpRequest request, string id)
    {
        IQueryCollection q = request.Query;
        return (await auth.AuthenticateAsync(request).ThenAsync(caller => queries.DeliveriesAsync(caller, id,
            q["status"].FirstOrDefault(), q["pageSize"].FirstOrDefault(), q["continuationToken"].FirstOrDefault(),
            request.HttpContext.RequestAborted))).ToOk();
    }

    public async Task<Results<Accepted<DeliveryView>, ProblemHttpResult>> RedeliverAsync(HttpRequest request, string id, string deliveryId)
    {
        Result<DeliveryView> again = await auth.AuthenticateAsync(request)
            .ThenAsync(caller => commands.RedeliverAsync(caller, id, deliveryId, request.HttpContext.RequestAborted));
        return again.Ok
            ? TypedResults.Accepted($"{Location(id)}/deliveries?status={again.Value.Status}", again.Value)
            : again.Problem.ToResult();
    }

    static string Location(string id) => $"/{EvalApi.Prefix}/subscriptions/{id}";

    /// <summary>An answer that holds a secret is kept by no cache.</summary>
    static void NoStore(HttpRequest request) => request.HttpContext.Response.Headers.CacheControl = "no-store";
}
