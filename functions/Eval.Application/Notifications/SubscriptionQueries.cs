using Azure;
using Azure.Data.Tables;
using Eval.Workflows.Domain;
using Eval.Workflows.Notifications;
using Eval.Workflows.Schemas;

namespace Eval.Application.Notifications;

/// <summary>The subscriptions at a unit and below it.</summary>
public sealed record SubscriptionList(string Unit, IReadOnlyList<SubscriptionView> Subscriptions);

/// <summary>
/// One delivery as the organization department sees it: where it stands (pending, delivered, dead, cancelled), how many
/// attempts were made, what the last one got, and when the next is due.
/// </summary>
public sealed record DeliveryView(string Id, string NotificationId, string? CampaignId, string Type, string Unit, string Subject,
    string Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? LastAttemptAt,
    int? LastStatusCode, string? LastResult, DateTimeOffset? DeliveredAt, DateTimeOffset? DeadAt)
{
    public static DeliveryView Of(Delivery d) => new(d.Id, d.NotificationId, d.CampaignId, d.Type, d.Unit, d.Subject, d.Status,
        d.Attempts, d.CreatedAt, d.NextAttemptAt, d.LastAttemptAt, d.LastStatusCode, d.LastResult, d.DeliveredAt, d.DeadAt);
}

/// <summary>A page of a subscription's deliveries, oldest notification first; pass continuationToken back for the next.</summary>
public sealed record DeliveryList(string SubscriptionId, IReadOnlyList<DeliveryView> Deliveries, string? ContinuationToken);

/// <summary>Reading subscriptions and their deliveries (the dead letters among them): the organization department's.</summary>
public sealed class SubscriptionQueries(SubscriptionStore subscriptions, DeliveryStore deliveries)
{
    public const int MaxPageSize = 200;
    const int DefaultPageSize = 50;

    /// <summary>The subscriptions at <paramref name="unit"/> (the caller's own when not given) and every unit below it.</summary>
    public async Task<Result<SubscriptionList>> ListAsync(Caller caller, string? unit, CancellationToken ct)
    {
        if (!caller.HasRole(Roles.OrgDepartment)) return Forbidden;
        unit ??= caller.Unit;
        if (!UnitPath.IsValid(unit)) return Problem.Validation([new FieldError("/query/unit", "not a unit id")]);
        if (!caller.Covers(unit)) return Problem.Forbidden($"Unit '{unit}' is outside your unit '{caller.Unit}'.");
        List<Subscription> found = await subscriptions.ListAsync(unit, ct);
        return new SubscriptionList(unit, [.. found.Select(SubscriptionView.Of)]);
    }

    public async Task<Result<SubscriptionView>> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        Result<Subscription> found = await ManagedAsync(caller, id, ct);
        if (!found.Ok) return found.Problem;
        return found.Value.Deleted ? Problem.NotFound($"No subscription '{id}': it was deleted.") : SubscriptionView.Of(found.Value);
    }

    /// <summary>
    /// A page of the subscription's deliveries (a deleted one's too), of one status if given (dead: its dead letters). The
    /// query-string values come
    /// as sent; each one that does not fit is a 422 at its /query/ pointer.
    /// </summary>
    public async Task<Result<DeliveryList>> DeliveriesAsync(Caller caller, string id, string? status, string? pageSize,
        string? continuationToken, CancellationToken ct)
    {
        Result<Subscription> found = await ManagedAsync(caller, id, ct);
        if (!found.Ok) return found.Problem;
        if (status is not null && !DeliveryStatus.All.Contains(status))
            return Problem.Validation([new FieldError("/query/status", $"one of {string.Join(", ", DeliveryStatus.All)}")]);
        int size = DefaultPageSize;
        if (pageSize is not null && (!int.TryParse(pageSize, out size) || size is < 1 or > MaxPageSize))
            return Problem.Validation([new FieldError("/query/pageSize", $"an integer from 1 to {MaxPageSize}")]);
        string listing = "deliveries:" + status;
        string? token = null;
        if (continuationToken is not null && (token = PageToken.Open(continuationToken, id, listing, null)) is null)
            return Problem.Validation([new FieldError("/query/continuationToken",
                "not a token this API gave for this subscription and listing")]);

        try
        {
            await foreach (Page<TableEntity> page in deliveries.Query(id, status, size).AsPages(token, size).WithCancellation(ct))
                return new DeliveryList(id, [.. page.Values.Select(DeliveryStore.FromEntity).OfType<Delivery>().Select(DeliveryView.Of)],
                    page.ContinuationToken is { } next ? PageToken.Seal(next, id, listing, null) : null);
            return new DeliveryList(id, [], null);
        }
        catch (RequestFailedException e) when (e.Status is 400 or 404)
        {
            return Problem.Validation([new FieldError("/query/continuationToken", "not a token this API gave")]);
        }
    }

    static readonly Problem Forbidden = Problem.Forbidden("Subscriptions are managed by the organization department.");

    async Task<Result<Subscription>> ManagedAsync(Caller caller, string id, CancellationToken ct)
    {
        if (!caller.HasRole(Roles.OrgDepartment)) return Forbidden;
        if (await subscriptions.FindAsync(id, ct) is not { } found) return Problem.NotFound($"No subscription '{id}'.");
        return caller.Covers(found.Subscription.Unit) ? found.Subscription
            : Problem.Forbidden($"The subscription's unit '{found.Subscription.Unit}' is outside your unit '{caller.Unit}'.");
    }
}
