using Eval.Api.Handlers;
using Eval.Application.Notifications;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Eval.Functions.Http;

/// <summary>The Functions triggers of the webhook subscription endpoints (see <see cref="Api.Endpoints.EvalApi"/>).</summary>
public sealed class SubscriptionFunctions(SubscriptionHandlers subscriptions)
{
    [Function("CreateSubscription")]
    public Task<Results<Created<SubscriptionCreated>, ProblemHttpResult>> CreateSubscription(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "subscriptions")] HttpRequest req) =>
        subscriptions.CreateAsync(req);

    [Function("ListSubscriptions")]
    public Task<Results<Ok<SubscriptionList>, ProblemHttpResult>> ListSubscriptions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "subscriptions")] HttpRequest req) =>
        subscriptions.ListAsync(req);

    [Function("GetSubscription")]
    public Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> GetSubscription(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "subscriptions/{id}")] HttpRequest req, string id) =>
        subscriptions.GetAsync(req, id);

    [Function("DeleteSubscription")]
    public Task<Results<NoContent, ProblemHttpResult>> DeleteSubscription(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "subscriptions/{id}")] HttpRequest req, string id) =>
        subscriptions.DeleteAsync(req, id);

    [Function("RotateSubscriptionSecret")]
    public Task<Results<Ok<SubscriptionSecret>, ProblemHttpResult>> RotateSubscriptionSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "subscriptions/{id}/secret")] HttpRequest req, string id) =>
        subscriptions.RotateSecretAsync(req, id);

    [Function("ListDeliveries")]
    public Task<Results<Ok<DeliveryList>, ProblemHttpResult>> ListDeliveries(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "subscriptions/{id}/deliveries")] HttpRequest req, string id) =>
        subscriptions.DeliveriesAsync(req, id);

    [Function("RedeliverDelivery")]
    public Task<Results<Accepted<DeliveryView>, ProblemHttpResult>> RedeliverDelivery(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "subscriptions/{id}/deliveries/{deliveryId}/redelivery")]
        HttpRequest req, string id, string deliveryId) =>
        subscriptions.RedeliverAsync(req, id, deliveryId);
}
