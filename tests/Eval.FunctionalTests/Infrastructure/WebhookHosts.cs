using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Eval.Workflows.Domain;
using Eval.Workflows.Notifications;
using Eval.Workflows.Outbox;
using Eval.Workflows.Storage;

namespace Eval.FunctionalTests.Infrastructure;

/// <summary>
/// A local host that delivers webhooks on a test's time scale: retries after 2 s, 4 s, 8 s (the cap) for 30 s, a 2 s
/// timeout per attempt, queues polled every 200 ms, a lost fan-out caught after 3 s. Its outbox binding key is the
/// test's, so a test can write what the host wrote (a subscription's sealed secret) with the same key.
/// </summary>
public abstract class WebhookHostFixture(bool allowPrivateTargets) : LocalHostFixture
{
    public byte[] BindingKey { get; } = RandomNumberGenerator.GetBytes(32);

    public NotificationOptions Options { get; } = new()
    {
        AllowPrivateTargets = allowPrivateTargets,
        RetryFor = TimeSpan.FromSeconds(30), FirstRetryAfter = TimeSpan.FromSeconds(2), MaxRetryAfter = TimeSpan.FromSeconds(8),
        RequestTimeout = TimeSpan.FromSeconds(2), PollInterval = TimeSpan.FromMilliseconds(200),
        FanoutRecheckAfter = TimeSpan.FromSeconds(3),
    };

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Notifications__AllowPrivateTargets"] = Options.AllowPrivateTargets ? "true" : "false",
        ["Notifications__RetryFor"] = Options.RetryFor.ToString(),
        ["Notifications__FirstRetryAfter"] = Options.FirstRetryAfter.ToString(),
        ["Notifications__MaxRetryAfter"] = Options.MaxRetryAfter.ToString(),
        ["Notifications__RequestTimeout"] = Options.RequestTimeout.ToString(),
        ["Notifications__PollInterval"] = Options.PollInterval.ToString(),
        ["Notifications__FanoutRecheckAfter"] = Options.FanoutRecheckAfter.ToString(),
        ["Outbox__BindingKey"] = Convert.ToBase64String(BindingKey),
        // Each fan-out and attempt in the host's output, which a failed test prints.
        ["Logging__LogLevel__Eval"] = "Information",
    };

    public EvalTables EvalTables => new(Tables, new StorageOptions { TablePrefix = TablePrefix });

    /// <summary>The host's notification queues, reached as the host reaches them (its table prefix names them).</summary>
    public NotificationQueues Queues(QueueClientOptions? options = null) =>
        new(new QueueServiceClient(AzuriteInstance.Shared.ConnectionString, options ?? NotificationQueues.ClientOptions()),
            new StorageOptions { TablePrefix = TablePrefix }, Options);

    /// <summary>The outbox the reminders and urgings write to, as they will: notifications go in through EnqueueAsync.</summary>
    public NotificationOutbox Outbox(QueueClientOptions? options = null) => new(EvalTables, Queues(options), Options);

    public SubscriptionStore Subscriptions => new(EvalTables, new SecretSealer(new OutboxBinding(BindingKey)));

    /// <summary>A notification for a role at a unit, as a reminder would be written.</summary>
    public static Notification Notification(string type, string unit, string role = Roles.BranchSecretary, string? campaign = "camp-test",
        string text = "距自评截止还有3天，请及时提交自评材料。") =>
        new(NotificationOutbox.IdOf(type, unit, Guid.NewGuid().ToString("N")), type,
            DateTimeOffset.UtcNow.AddSeconds(-1), unit, role, campaign, $"campaigns/{campaign}/evaluations/{unit}", text,
            new JsonObject { ["step"] = "self-assessment", ["dueAt"] = "2026-05-01T00:00:00+08:00" });

    /// <summary>POST /api/subscriptions as the organization department of <paramref name="asUnit"/> (the unit's own by default).</summary>
    public Task<HttpResponseMessage> SubscribeAsync(string unit, string url, string[] types, string? asUnit = null) =>
        Host.As(Roles.OrgDepartment, asUnit ?? unit).PostAsJsonAsync("api/subscriptions",
            new { unit, url, types, description = "测试旗短信网关中继" });

    /// <summary>A subscription made through the API: its id and secret.</summary>
    public async Task<(string Id, string Secret)> SubscribedAsync(string unit, string url, params string[] types)
    {
        using HttpResponseMessage r = await SubscribeAsync(unit, url, types.Length > 0 ? types : [.. NotificationTypes.All]);
        Assert.True(r.StatusCode == HttpStatusCode.Created, await r.Content.ReadAsStringAsync());
        JsonElement created = await r.Content.ReadFromJsonAsync<JsonElement>();
        return (created.GetProperty("id").GetString()!, created.GetProperty("secret").GetString()!);
    }

    /// <summary>A subscription's deliveries as its organization department lists them (of one status if given).</summary>
    public async Task<JsonElement[]> DeliveriesAsync(string unit, string subscription, string? status = null)
    {
        string query = status is null ? "" : $"?status={status}";
        JsonElement list = await Host.As(Roles.OrgDepartment, unit)
            .GetFromJsonAsync<JsonElement>($"api/subscriptions/{subscription}/deliveries{query}");
        return [.. list.GetProperty("deliveries").EnumerateArray()];
    }
}

/// <summary>A webhook host with local development's setting on: a receiver on this machine is reachable.</summary>
public sealed class LocalTargetsHostFixture() : WebhookHostFixture(allowPrivateTargets: true);

/// <summary>A webhook host as in Azure: https and public addresses only.</summary>
public sealed class PublicTargetsHostFixture() : WebhookHostFixture(allowPrivateTargets: false);

/// <summary>Webhook deliveries as a receiver checks them, with independent libraries (tests/readers/verify-webhook.mjs).</summary>
public static class WebhookVerifier
{
    /// <summary>Each delivery's CloudEvent once its signature under <paramref name="secret"/> held; fails the test otherwise.</summary>
    public static async Task<JsonElement[]> VerifiedEventsAsync(string secret, IEnumerable<WebhookReceiver.Received> deliveries)
    {
        NodeReaders.Run run = await RunAsync(secret, deliveries);
        Assert.True(run.ExitCode == 0, $"verify-webhook.mjs: {run.Output} {run.Error}");
        return [.. JsonDocument.Parse(run.Output).RootElement.EnumerateArray().Select(r => r.GetProperty("event").Clone())];
    }

    /// <summary>What the verifier says of each delivery under <paramref name="secret"/>, failing or not.</summary>
    public static async Task<JsonElement[]> ResultsAsync(string secret, IEnumerable<WebhookReceiver.Received> deliveries) =>
        [.. JsonDocument.Parse((await RunAsync(secret, deliveries)).Output).RootElement.EnumerateArray().Select(r => r.Clone())];

    static async Task<NodeReaders.Run> RunAsync(string secret, IEnumerable<WebhookReceiver.Received> deliveries)
    {
        string file = Path.Combine(Path.GetTempPath(), $"webhooks-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new
        {
            secret, deliveries = deliveries.Select(d => new { headers = d.Headers, body = d.Body }),
        }));
        try
        {
            return await NodeReaders.VerifyWebhooksAsync(file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
