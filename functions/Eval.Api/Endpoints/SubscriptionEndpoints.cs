using Eval.Api.Handlers;
using Eval.Application.Notifications;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;

namespace Eval.Api.Endpoints;

/// <summary>
/// Webhook subscriptions (docs/notifications.md): a unit's organization department has the notifications of its unit and
/// the units below it posted, signed, to a relay of its own (an SMS gateway, a WeCom or DingTalk group bot), and sees
/// each delivery, the dead letters among them, and may send one again.
/// </summary>
public static class SubscriptionEndpoints
{
    const string Tag = "Notifications";
    const string Managers = "org-department of the subscription's unit or above";

    public static RouteGroupBuilder MapSubscriptions(this RouteGroupBuilder api)
    {
        api.MapPost("subscriptions", (HttpRequest req, SubscriptionHandlers h) => h.CreateAsync(req))
            .WithName("CreateSubscription").WithTags(Tag).WithSummary("Subscribe a URL to a unit's notifications")
            .WithDescription("201 with the subscription and its signing secret (whsec_…), shown this once: the API never answers " +
                "it again (rotate it with POST …/secret). The URL must be https, and its host name must resolve only to public " +
                "addresses (422 at /url with the reason: loopback, private, link-local, CGNAT, reserved…). No Idempotency-Key " +
                "is kept: a client that lost the answer lists the unit's subscriptions and deletes the one it cannot use.")
            .RequiresToken("org-department covering the unit", Roles.OrgDepartment)
            .ValidatedBody(SchemaCatalog.Subscription).Produces<SubscriptionCreated>(StatusCodes.Status201Created);
        api.MapGet("subscriptions", (HttpRequest req, SubscriptionHandlers h) => h.ListAsync(req))
            .WithName("ListSubscriptions").WithTags(Tag).WithSummary("The subscriptions at a unit and below it (no secrets)")
            .WithQueryParameter("unit", "The unit (default: the caller's).")
            .RequiresToken("org-department covering the unit", Roles.OrgDepartment)
            .Produces<SubscriptionList>().ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("subscriptions/{id}", (HttpRequest req, string id, SubscriptionHandlers h) => h.GetAsync(req, id))
            .WithName("GetSubscription").WithTags(Tag).WithSummary("One subscription (no secret)")
            .RequiresToken(Managers, Roles.OrgDepartment)
            .Produces<SubscriptionView>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("subscriptions/{id}", (HttpRequest req, string id, SubscriptionHandlers h) => h.DeleteAsync(req, id))
            .WithName("DeleteSubscription").WithTags(Tag).WithSummary("Stop a subscription")
            .WithDescription("204. Its deliveries not yet delivered are cancelled at their next attempt; its deliveries stay listed.")
            .RequiresToken(Managers, Roles.OrgDepartment)
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("subscriptions/{id}/secret", (HttpRequest req, string id, SubscriptionHandlers h) => h.RotateSecretAsync(req, id))
            .WithName("RotateSubscriptionSecret").WithTags(Tag).WithSummary("A new signing secret, shown once")
            .WithDescription("Deliveries are signed with the new secret and, for 24 hours, the previous one too (two signatures " +
                "in webhook-signature), so that the receiver can switch without losing one.")
            .RequiresToken(Managers, Roles.OrgDepartment)
            .Produces<SubscriptionSecret>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapGet("subscriptions/{id}/deliveries", (HttpRequest req, string id, SubscriptionHandlers h) => h.DeliveriesAsync(req, id))
            .WithName("ListDeliveries").WithTags(Tag).WithSummary("A page of a subscription's deliveries; status=dead: its dead letters")
            .WithDescription("Oldest notification first: each delivery's status (pending, delivered, dead, cancelled), attempts, " +
                "what the last attempt got and when the next is due.")
            .WithQueryParameter("status", "Only deliveries with this status: pending, delivered, dead or cancelled.")
            .WithQueryParameter("pageSize", $"1 to {SubscriptionQueries.MaxPageSize} (default 50).", JsonSchemaType.Integer)
            .WithQueryParameter("continuationToken", "The continuationToken of the previous page.")
            .RequiresToken(Managers, Roles.OrgDepartment)
            .Produces<DeliveryList>().Problems(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity);
        api.MapPost("subscriptions/{id}/deliveries/{deliveryId}/redelivery",
                (HttpRequest req, string id, string deliveryId, SubscriptionHandlers h) => h.RedeliverAsync(req, id, deliveryId))
            .WithName("RedeliverDelivery").WithTags(Tag).WithSummary("Send a dead letter again")
            .WithDescription("202: the delivery is pending again, with a new retry period, and its next attempt queued at once. " +
                "409 for a delivery that is not dead.")
            .RequiresToken(Managers, Roles.OrgDepartment)
            .Produces<DeliveryView>(StatusCodes.Status202Accepted).Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return api;
    }
}
