using Eval.Workflows.Domain;
using Eval.Workflows.Notifications;
using Eval.Workflows.Schemas;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Eval.Application.Notifications;

public sealed record SubscriptionRequest(string Unit, string Url, IReadOnlyList<string> Types, string? Description);

/// <summary>A subscription as its organization department sees it: never its secret.</summary>
public sealed record SubscriptionView(string Id, string Unit, string Url, IReadOnlyList<string> Types, string? Description,
    Actor CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset SecretSetAt)
{
    public static SubscriptionView Of(Subscription s) => new(s.Id, s.Unit, s.Url, s.Types, s.Description, s.CreatedBy, s.CreatedAt,
        s.SecretSetAt);
}

/// <summary>A new subscription with its signing secret: the one answer that holds the secret (it cannot be read again).</summary>
public sealed record SubscriptionCreated(string Id, string Unit, string Url, IReadOnlyList<string> Types, string? Description,
    Actor CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset SecretSetAt, string Secret);

/// <summary>A subscription's new signing secret (shown once); the one before goes on signing beside it until the time given.</summary>
public sealed record SubscriptionSecret(string Id, string Secret, DateTimeOffset SecretSetAt, DateTimeOffset PreviousSecretValidUntil);

/// <summary>
/// Webhook subscriptions, managed by the organization department of the unit or a unit above it: made (the URL checked
/// against <see cref="WebhookTargets"/>: https, public addresses only), deleted, their secret rotated, and a dead delivery
/// sent again. None of these keeps an Idempotency-Key: their answers hold a secret, which no table may keep in clear.
/// </summary>
public sealed class SubscriptionCommands(SubscriptionStore subscriptions, DeliveryStore deliveries, UnitStore units,
    WebhookTargets targets, NotificationDispatcher dispatcher, TimeProvider clock, ILogger<SubscriptionCommands> log)
{
    public async Task<Result<SubscriptionCreated>> CreateAsync(Caller caller, Func<Task<Result<string>>> readBody, CancellationToken ct)
    {
        if (!caller.HasRole(Roles.OrgDepartment)) return Forbidden;
        Result<SubscriptionRequest> body = await CommandBody.ReadAsync<SubscriptionRequest>(readBody,
            await SchemaCatalog.GetAsync(SchemaCatalog.Subscription));
        if (!body.Ok) return body.Problem;
        SubscriptionRequest request = body.Value;
        if (!caller.Covers(request.Unit))
            return Problem.Forbidden($"Unit '{request.Unit}' is outside your unit '{caller.Unit}'.");
        if (await units.GetAsync(request.Unit, ct) is null) return Problem.Validation([new FieldError("/unit", "no such unit")]);
        if (await targets.WhyRefusedAsync(request.Url, ct) is { } refused) return Problem.Validation([new FieldError("/url", refused)]);

        DateTimeOffset now = clock.GetUtcNow();
        string secret = WebhookSecret.New();
        var subscription = new Subscription(Subscription.NewId(), request.Unit, request.Url,
            [.. NotificationTypes.All.Where(request.Types.Contains)], request.Description,
            new Actor(caller.Id, caller.Name, Roles.OrgDepartment), now, now);
        await subscriptions.AddAsync(subscription, secret, ct);
        log.LogInformation("Subscription {SubscriptionId} at {Unit} for {Types} made by {CallerId}",
            subscription.Id, subscription.Unit, string.Join(",", subscription.Types), caller.Id);
        return new SubscriptionCreated(subscription.Id, subscription.Unit, subscription.Url, subscription.Types, subscription.Description,
            subscription.CreatedBy, subscription.CreatedAt, subscription.SecretSetAt, secret);
    }

    /// <summary>Deletes it (again: the same answer); its deliveries not yet made are cancelled at their next attempt.</summary>
    public async Task<Result<SubscriptionView>> DeleteAsync(Caller caller, string id, CancellationToken ct)
    {
        Result<Found> found = await ManagedAsync(caller, id, ct);
        if (!found.Ok) return found.Problem;
        Subscription subscription = found.Value.Subscription;
        if (subscription.Deleted) return SubscriptionView.Of(subscription);
        if (!await subscriptions.DeleteAsync(subscription with { DeletedAt = clock.GetUtcNow() }, found.Value.ETag, ct))
            return Problem.Conflict("The subscription changed at the same time; try again.");
        log.LogInformation("Subscription {SubscriptionId} at {Unit} deleted by {CallerId}", id, subscription.Unit, caller.Id);
        return SubscriptionView.Of(subscription);
    }

    /// <summary>
    /// A new secret; the old one signs beside it for <see cref="SigningSecrets.PreviousKeptFor"/>, while receivers switch.
    /// </summary>
    public async Task<Result<SubscriptionSecret>> RotateSecretAsync(Caller caller, string id, CancellationToken ct)
    {
        Result<Found> found = await ManagedAsync(caller, id, ct);
        if (!found.Ok) return found.Problem;
        if (found.Value.Subscription.Deleted) return Problem.NotFound($"No subscription '{id}': it was deleted.");
        DateTimeOffset now = clock.GetUtcNow();
        string secret = WebhookSecret.New();
        Subscription rotated = found.Value.Subscription with { SecretSetAt = now };
        if (!await subscriptions.RotateAsync(rotated, found.Value.ETag, secret, now + SigningSecrets.PreviousKeptFor, ct))
            return Problem.Conflict("The subscription changed at the same time; try again.");
        log.LogInformation("Subscription {SubscriptionId} got a new secret from {CallerId}", id, caller.Id);
        return new SubscriptionSecret(id, secret, now, now + SigningSecrets.PreviousKeptFor);
    }

    /// <summary>Sends a dead delivery again, with a new retry period; 409 for one that is not dead.</summary>
    public async Task<Result<DeliveryView>> RedeliverAsync(Caller caller, string id, string deliveryId, CancellationToken ct)
    {
        Result<Found> found = await ManagedAsync(caller, id, ct);
        if (!found.Ok) return found.Problem;
        if (await deliveries.GetAsync(id, deliveryId, ct) is not { } delivery)
            return Problem.NotFound($"No delivery '{deliveryId}' of subscription '{id}'.");
        if (found.Value.Subscription.Deleted) return Problem.Conflict("The subscription was deleted: it receives nothing more.");
        if (await dispatcher.RedeliverAsync(delivery.Delivery, delivery.ETag, ct) is not { } again)
            return Problem.Conflict($"The delivery is {delivery.Delivery.Status}: only a dead one is sent again.");
        log.LogInformation("Delivery {DeliveryId} of {SubscriptionId} sent again by {CallerId}", deliveryId, id, caller.Id);
        return DeliveryView.Of(again);
    }

    sealed record Found(Subscription Subscription, Azure.ETag ETag);

    static readonly Problem Forbidden = Problem.Forbidden("Subscriptions are managed by the organization department.");

    /// <summary>The subscription, if the caller is the organization department of its unit or a unit above it.</summary>
    async Task<Result<Found>> ManagedAsync(Caller caller, string id, CancellationToken ct)
    {
        if (!caller.HasRole(Roles.OrgDepartment)) return Forbidden;
        if (await subscriptions.FindAsync(id, ct) is not { } found) return Problem.NotFound($"No subscription '{id}'.");
        if (!caller.Covers(found.Subscription.Unit))
            return Problem.Forbidden($"The subscription's unit '{found.Subscription.Unit}' is outside your unit '{caller.Unit}'.");
        return new Found(found.Subscription, found.ETag);
    }
}
