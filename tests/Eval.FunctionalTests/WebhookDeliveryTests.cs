using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Eval.FunctionalTests.Infrastructure;
using Eval.Workflows.Domain;
using Eval.Workflows.Notifications;
using Eval.Workflows.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Eval.FunctionalTests;

/// <summary>
/// Notifications delivered to webhook subscriptions, end to end: notifications go into the outbox through
/// NotificationOutbox.EnqueueAsync (as reminders and urgings will), the local host fans them out and posts them to a
/// receiver on this machine (the host allows private targets, as `./eval up` does), and every delivery that arrives is
/// checked as a city's relay would check it, by libraries that have nothing to do with the sender's: its Standard Webhooks
/// signature with `standardwebhooks`, its body as a CloudEvent with the CloudEvents JavaScript SDK.
/// </summary>
public sealed class WebhookDeliveryTests(LocalTargetsHostFixture fx) : IClassFixture<LocalTargetsHostFixture>, IAsyncLifetime
{
    WebhookReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    async Task<IReadOnlyList<WebhookReceiver.Received>> ArrivedAsync(string path, int count, int seconds = 30) =>
        await Poll.UntilAsync(() => Task.FromResult(receiver.To(path) is { } got && got.Count >= count ? got : null),
            TimeSpan.FromSeconds(seconds), $"{count} deliveries at {path}", () => fx.Host.Output);

    async Task<JsonElement> DeliveryAsync(string unit, string subscription, Func<JsonElement, bool> condition, string what,
        int seconds = 60) =>
        (JsonElement)await Poll.UntilAsync<object>(async () =>
            (await fx.DeliveriesAsync(unit, subscription)).FirstOrDefault(condition) is { ValueKind: JsonValueKind.Object } d ? d : null,
            TimeSpan.FromSeconds(seconds), what, () => fx.Host.Output);

    [Fact]
    public async Task A_subscription_receives_its_units_notifications_of_its_types_as_signed_CloudEvents()
    {
        using var driver = new CampaignDriver(fx.Host);
        TestCounty county = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 2);
        TestCounty sibling = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 1);
        string path = receiver.NewEndpoint();
        var (subscription, secret) = await fx.SubscribedAsync(county.Id, receiver.BaseUrl + path,
            NotificationTypes.Reminder, NotificationTypes.Overdue);

        NotificationOutbox outbox = fx.Outbox();
        Notification reminder = WebhookHostFixture.Notification(NotificationTypes.Reminder, county.Branches[0]);
        Notification overdue = WebhookHostFixture.Notification(NotificationTypes.Overdue, county.Id, Roles.CountyScorer,
            text: "测试旗有2个党支部的评分已逾期。");
        Assert.True(await outbox.EnqueueAsync(reminder));
        Assert.True(await outbox.EnqueueAsync(overdue));
        // Not delivered here: a type the subscription does not name, and a unit outside its own.
        Assert.True(await outbox.EnqueueAsync(WebhookHostFixture.Notification(NotificationTypes.Urged, county.Branches[1])));
        Assert.True(await outbox.EnqueueAsync(WebhookHostFixture.Notification(NotificationTypes.Reminder, sibling.Branches[0])));
        // The same notification kept again is kept once, and told once.
        Assert.False(await outbox.EnqueueAsync(reminder));

        await ArrivedAsync(path, 2);
        await Task.Delay(fx.Options.FanoutRecheckAfter + TimeSpan.FromSeconds(2)); // the delayed rechecks: nothing new
        // Two deliveries, each the one notification's, each sent once (a recheck that queues an attempt again while it is in
        // flight finds it claimed: A_second_message_of_an_attempt_being_sent_does_not_send_it_again).
        IReadOnlyList<WebhookReceiver.Received> arrived = receiver.To(path);
        Assert.Equal(new[] { Delivery.IdOf(reminder, subscription), Delivery.IdOf(overdue, subscription) }.Order(StringComparer.Ordinal),
            arrived.Select(d => d.Headers["webhook-id"]).Order(StringComparer.Ordinal));

        JsonElement[] events = await WebhookVerifier.VerifiedEventsAsync(secret, arrived);
        foreach (var (delivery, cloudEvent) in arrived.Zip(events))
        {
            Assert.StartsWith(WebhookSender.ContentType, delivery.Headers["content-type"], StringComparison.Ordinal);
            Assert.Equal(delivery.Headers["webhook-id"], cloudEvent.GetProperty("id").GetString());
            Assert.Equal("1.0", cloudEvent.GetProperty("specversion").GetString());
            Assert.Equal(fx.Host.BaseAddress + "api", cloudEvent.GetProperty("source").GetString());
            Assert.Equal("application/json", cloudEvent.GetProperty("datacontenttype").GetString());
        }
        JsonElement Of(Notification n) => events.Single(e => e.GetProperty("type").GetString() == n.Type);
        foreach (Notification n in new[] { reminder, overdue })
        {
            JsonElement e = Of(n);
            Assert.Equal(Delivery.IdOf(n, subscription), e.GetProperty("id").GetString());
            Assert.Equal(n.Subject, e.GetProperty("subject").GetString());
            Assert.Equal(n.Time.ToUnixTimeMilliseconds(),
                DateTimeOffset.Parse(e.GetProperty("time").GetString()!).ToUnixTimeMilliseconds());
            JsonElement data = e.GetProperty("data");
            Assert.Equal(n.Unit, data.GetProperty("unit").GetString());
            Assert.Equal(n.Role, data.GetProperty("role").GetString());
            Assert.Equal(n.CampaignId, data.GetProperty("campaignId").GetString());
            Assert.Equal(n.Text, data.GetProperty("text").GetString());
            Assert.Equal("self-assessment", data.GetProperty("step").GetString());
        }

        JsonElement[] listed = await fx.DeliveriesAsync(county.Id, subscription);
        Assert.Equal(2, listed.Length);
        Assert.All(listed, d =>
        {
            Assert.Equal(DeliveryStatus.Delivered, d.GetProperty("status").GetString());
            Assert.Equal(1, d.GetProperty("attempts").GetInt32());
            Assert.Equal(200, d.GetProperty("lastStatusCode").GetInt32());
        });

        // `./eval mail` reads the same tables: what was sent, to which URL, and how it went.
        string mail = await MailAsync();
        Assert.Contains(reminder.Text, mail, StringComparison.Ordinal);
        Assert.Contains($"delivered {receiver.BaseUrl}{path}", mail, StringComparison.Ordinal);
        Assert.Contains($"to {Roles.BranchSecretary} at {sibling.Branches[0]}", mail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_secret_is_shown_once_kept_sealed_and_after_a_rotation_both_secrets_verify_for_a_while()
    {
        using var driver = new CampaignDriver(fx.Host);
        TestCounty county = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 1);
        string path = receiver.NewEndpoint();
        using HttpResponseMessage created = await fx.SubscribeAsync(county.Id, receiver.BaseUrl + path, [NotificationTypes.Reminder]);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("no-store", created.Headers.CacheControl?.ToString());
        JsonElement body = await created.Content.ReadFromJsonAsync<JsonElement>();
        string id = body.GetProperty("id").GetString()!, secret = body.GetProperty("secret").GetString()!;
        Assert.Equal($"/api/subscriptions/{id}", created.Headers.Location?.ToString());
        Assert.StartsWith(WebhookSecret.Prefix, secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret[WebhookSecret.Prefix.Length..]).Length);

        HttpClient org = fx.Host.As(Roles.OrgDepartment, county.Id);
        string one = await org.GetStringAsync($"api/subscriptions/{id}");
        string list = await org.GetStringAsync($"api/subscriptions?unit={county.Id}");
        foreach (string read in new[] { one, list })
        {
            Assert.DoesNotContain(secret[WebhookSecret.Prefix.Length..], read, StringComparison.Ordinal);
            Assert.DoesNotContain("\"secret\"", read, StringComparison.Ordinal);
        }
        Assert.Contains(id, list, StringComparison.Ordinal);
        TableEntity row = (await fx.Table(EvalTables.Subscriptions).GetEntityAsync<TableEntity>(county.Id, id)).Value;
        string key = secret[WebhookSecret.Prefix.Length..];
        Assert.DoesNotContain(row.Select(p => p.Value), v => v?.ToString()?.Contains(key, StringComparison.Ordinal) == true);

        using HttpResponseMessage rotation = await org.PostAsync($"api/subscriptions/{id}/secret", null);
        Assert.Equal(HttpStatusCode.OK, rotation.StatusCode);
        Assert.Equal("no-store", rotation.Headers.CacheControl?.ToString());
        string rotated = (await rotation.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        Assert.NotEqual(secret, rotated);

        Assert.True(await fx.Outbox().EnqueueAsync(WebhookHostFixture.Notification(NotificationTypes.Reminder, county.Branches[0])));
        IReadOnlyList<WebhookReceiver.Received> arrived = await ArrivedAsync(path, 1);
        Assert.Equal(2, arrived[0].Headers["webhook-signature"].Split(' ').Length);
        await WebhookVerifier.VerifiedEventsAsync(rotated, arrived);
        await WebhookVerifier.VerifiedEventsAsync(secret, arrived); // the receiver that has not switched yet
        JsonElement forged = (await WebhookVerifier.ResultsAsync(WebhookSecret.New(), arrived)).Single();
        Assert.False(forged.GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task Failed_attempts_are_retried_with_growing_waits_until_one_is_answered()
    {
        using var driver = new CampaignDriver(fx.Host);
        TestCounty county = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 1);
        // 503, 500, an answer after the 2 s timeout, then 200.
        string path = receiver.NewEndpoint(n => n switch
        {
            0 => (503, TimeSpan.Zero),
            1 => (500, TimeSpan.Zero),
            2 => (200, TimeSpan.FromSeconds(5)),
            _ => (200, TimeSpan.Zero),
        });
        var (subscription, secret) = await fx.SubscribedAsync(county.Id, receiver.BaseUrl + path, NotificationTypes.Reminder);
        Assert.True(await fx.Outbox().EnqueueAsync(WebhookHostFixture.Notification(NotificationTypes.Reminder, county.Branches[0])));

        JsonElement delivered = await DeliveryAsync(county.Id, subscription,
            d => d.GetProperty("status").GetString() == DeliveryStatus.Delivered, "the delivery to succeed");
        IReadOnlyList<WebhookReceiver.Received> attempts = receiver.To(path);
        Assert.Equal(4, attempts.Count);
        Assert.Equal(4, delivered.GetProperty("attempts").GetInt32());
        Assert.Equal("HTTP 200", delivered.GetProperty("lastResult").GetString());
        // The same delivery each time (one id, one body), each attempt signed anew, and each verifies.
        Assert.Single(attempts.Select(a => a.Headers["webhook-id"]).Distinct());
        Assert.Single(attempts.Select(a => a.Body).Distinct());
        await WebhookVerifier.VerifiedEventsAsync(secret, attempts);

        TimeSpan[] waits = [.. attempts.Zip(attempts.Skip(1), (a, b) => b.At - a.At)];
        string seen = string.Join(", ", waits.Select(w => $"{w.TotalSeconds:0.0} s"));
        // After 2 s (less up to a quarter: 1.5 s, rounded up to whole seconds), then 4 s, then the 2 s timeout and 8 s.
        Assert.True(waits[0] >= TimeSpan.FromSeconds(1.5), seen);
        Assert.True(waits[0] < waits[1] && waits[1] < waits[2], $"waits should grow: {seen}");
    }

    [Fact]
    public async Task A_delivery_failing_for_the_whole_retry_period_is_a_dead_letter_the_org_department_sees_and_may_send_again()
    {
        using var driver = new CampaignDriver(fx.Host);
        TestCounty county = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 1);
        TestCounty other = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 1);
        string path = receiver.NewEndpoint(_ => (500, TimeSpan.Zero));
        var (subscription, secret) = await fx.SubscribedAsync(county.Id, receiver.BaseUrl + path, NotificationTypes.Overdue);
        var started = Stopwatch.StartNew();
        Assert.True(await fx.Outbox().EnqueueAsync(WebhookHostFixture.Notification(NotificationTypes.Overdue, county.Branches[0])));

        JsonElement dead = await DeliveryAsync(county.Id, subscription,
            d => d.GetProperty("status").GetString() == DeliveryStatus.Dead, "the delivery to be dead-lettered", seconds: 90);
        Assert.True(started.Elapsed >= fx.Options.RetryFor - TimeSpan.FromSeconds(fx.Options.MaxRetryAfter.TotalSeconds),
            $"dead after {started.Elapsed}, before its retry period ended");
        int attempts = dead.GetProperty("attempts").GetInt32();
        Assert.True(attempts >= 4, $"{attempts} attempts");
        Assert.Equal(attempts, receiver.To(path).Count);
        Assert.Equal("HTTP 500", dead.GetProperty("lastResult").GetString());
        Assert.Equal(JsonValueKind.String, dead.GetProperty("deadAt").ValueKind);
        Assert.Single(await fx.DeliveriesAsync(county.Id, subscription, DeliveryStatus.Dead));
        Assert.Empty(await fx.DeliveriesAsync(county.Id, subscription, DeliveryStatus.Pending));

        // Only the organization department over the subscription's unit sees it or sends it again.
        string deadId = dead.GetProperty("id").GetString()!;
        string redelivery = $"api/subscriptions/{subscription}/deliveries/{deadId}/redelivery";
        foreach (HttpClient outsider in new[] { fx.Host.As(Roles.OrgDepartment, other.Id), fx.Host.As(Roles.CountyScorer, county.Id) })
        {
            using HttpResponseMessage list = await outsider.GetAsync($"api/subscriptions/{subscription}/deliveries?status=dead");
            Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
            using HttpResponseMessage again = await outsider.PostAsync(redelivery, null);
            Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        }

        // The receiver is mended; the dead letter is sent again, delivered, and verifies.
        receiver.Answer(path, _ => (200, TimeSpan.Zero));
        HttpClient org = fx.Host.As(Roles.OrgDepartment, county.Id);
        using (HttpResponseMessage again = await org.PostAsync(redelivery, null))
        {
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
            Assert.Equal(DeliveryStatus.Pending, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        }
        JsonElement delivered = await DeliveryAsync(county.Id, subscription,
            d => d.GetProperty("status").GetString() == DeliveryStatus.Delivered, "the redelivery to succeed");
        Assert.Equal(attempts + 1, delivered.GetProperty("attempts").GetInt32());
        await WebhookVerifier.VerifiedEventsAsync(secret, [receiver.To(path)[^1]]);
        using HttpResponseMessage twice = await org.PostAsync(redelivery, null);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
    }

    [Fact]
    public async Task A_county_sees_and_manages_only_its_own_subscriptions_and_a_deleted_one_receives_nothing()
    {
        using var driver = new CampaignDriver(fx.Host);
        TestCounty county = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 1);
        TestCounty other = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 1);
        string path = receiver.NewEndpoint();
        var (subscription, _) = await fx.SubscribedAsync(county.Id, receiver.BaseUrl + path);

        HttpClient neighbour = fx.Host.As(Roles.OrgDepartment, other.Id);
        foreach (var (method, uri) in new[]
                 {
                     (HttpMethod.Get, $"api/subscriptions/{subscription}"), (HttpMethod.Delete, $"api/subscriptions/{subscription}"),
                     (HttpMethod.Post, $"api/subscriptions/{subscription}/secret"), (HttpMethod.Get, $"api/subscriptions?unit={county.Id}"),
                 })
        {
            using HttpResponseMessage r = await neighbour.SendAsync(new HttpRequestMessage(method, uri));
            Assert.True(r.StatusCode == HttpStatusCode.Forbidden, $"{method} {uri}: {(int)r.StatusCode}");
        }
        Assert.DoesNotContain(subscription, await neighbour.GetStringAsync("api/subscriptions"), StringComparison.Ordinal);
        using (HttpResponseMessage r = await fx.SubscribeAsync(county.Id, receiver.BaseUrl + path, [NotificationTypes.Urged], other.Id))
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        using (HttpResponseMessage r = await fx.Host.As(Roles.CountyScorer, county.Id).PostAsJsonAsync("api/subscriptions",
                   new { unit = county.Id, url = receiver.BaseUrl + path, types = new[] { NotificationTypes.Urged } }))
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        // The city's organization department covers the county.
        Assert.Contains(subscription, await fx.Host.As(Roles.OrgDepartment, "chifeng").GetStringAsync("api/subscriptions?unit=chifeng"),
            StringComparison.Ordinal);

        HttpClient org = fx.Host.As(Roles.OrgDepartment, county.Id);
        using (HttpResponseMessage deleted = await org.DeleteAsync($"api/subscriptions/{subscription}"))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using (HttpResponseMessage gone = await org.GetAsync($"api/subscriptions/{subscription}"))
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.True(await fx.Outbox().EnqueueAsync(WebhookHostFixture.Notification(NotificationTypes.Reminder, county.Branches[0])));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Empty(receiver.To(path));
        await foreach (TableEntity _ in fx.Table(EvalTables.Deliveries).QueryAsync<TableEntity>(e => e.PartitionKey == subscription))
            Assert.Fail("a delivery was made for a deleted subscription");
    }

    [Fact]
    public async Task A_notification_kept_by_a_host_that_failed_before_queueing_it_is_delivered_all_the_same()
    {
        using var driver = new CampaignDriver(fx.Host);
        TestCounty county = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 1);
        string path = receiver.NewEndpoint();
        var (subscription, secret) = await fx.SubscribedAsync(county.Id, receiver.BaseUrl + path, NotificationTypes.Urged);

        // The queue refuses every message after the first: the delayed recheck is queued, the row kept, the fan-out not.
        var options = NotificationQueues.ClientOptions();
        options.Retry.MaxRetries = 0;
        options.AddPolicy(new RefuseAfterFirstMessage(), HttpPipelinePosition.PerCall);
        Notification urged = WebhookHostFixture.Notification(NotificationTypes.Urged, county.Branches[0],
            text: "县委组织部催办：请尽快完成自评。");
        await Assert.ThrowsAsync<RequestFailedException>(() => fx.Outbox(options).EnqueueAsync(urged));
        Assert.True((await fx.Table(EvalTables.Notifications).GetEntityIfExistsAsync<TableEntity>("camp-test", urged.Id)).HasValue);

        IReadOnlyList<WebhookReceiver.Received> arrived = await ArrivedAsync(path, 1);
        JsonElement cloudEvent = (await WebhookVerifier.VerifiedEventsAsync(secret, arrived)).Single();
        Assert.Equal(Delivery.IdOf(urged, subscription), cloudEvent.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_second_message_of_an_attempt_being_sent_does_not_send_it_again()
    {
        // Run here, beside the host, on its tables: two handlers take attempt 1's message at once (a fan-out repeated).
        using var driver = new CampaignDriver(fx.Host);
        TestCounty county = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 1);
        string path = receiver.NewEndpoint(_ => (200, TimeSpan.FromSeconds(1)));
        var (subscription, _) = await fx.SubscribedAsync(county.Id, receiver.BaseUrl + path, NotificationTypes.Reminder);
        Delivery delivery = await PendingDeliveryAsync(subscription, county.Branches[0], sendingSince: null);
        using var dispatcher = Dispatcher();
        string message = Message(subscription, delivery.Id);

        await Task.WhenAll(dispatcher.Instance.DeliverAsync(message), dispatcher.Instance.DeliverAsync(message));

        Assert.Single(receiver.To(path));
        var (after, _, _) = (await new DeliveryStore(fx.EvalTables).GetAsync(subscription, delivery.Id))!.Value;
        Assert.Equal((DeliveryStatus.Delivered, 1), (after.Status, after.Attempts));
        Assert.Null(after.SendingSince);
    }

    [Fact]
    public async Task An_attempt_claimed_by_a_handler_that_died_is_sent_once_its_lease_is_over()
    {
        using var driver = new CampaignDriver(fx.Host);
        TestCounty county = await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 2);
        string path = receiver.NewEndpoint();
        var (subscription, _) = await fx.SubscribedAsync(county.Id, receiver.BaseUrl + path, NotificationTypes.Reminder);
        // One claimed a second ago (its handler may still be sending), one claimed an hour ago (its handler died).
        Delivery recent = await PendingDeliveryAsync(subscription, county.Branches[0], DateTimeOffset.UtcNow.AddSeconds(-1));
        Delivery stale = await PendingDeliveryAsync(subscription, county.Branches[1], DateTimeOffset.UtcNow.AddHours(-1));
        using var dispatcher = Dispatcher();

        foreach (Delivery d in new[] { recent, stale })
            await dispatcher.Instance.DeliverAsync(Message(subscription, d.Id));

        Assert.Equal(new[] { stale.Id }, receiver.To(path).Select(r => r.Headers["webhook-id"]));
        var store = new DeliveryStore(fx.EvalTables);
        Assert.Equal(DeliveryStatus.Delivered, (await store.GetAsync(subscription, stale.Id))!.Value.Delivery.Status);
        Delivery waiting = (await store.GetAsync(subscription, recent.Id))!.Value.Delivery;
        Assert.Equal((DeliveryStatus.Pending, 0, recent.SendingSince), (waiting.Status, waiting.Attempts, waiting.SendingSince));
    }

    static string Message(string subscription, string delivery) =>
        JsonSerializer.Serialize(new DeliveryMessage(subscription, delivery, Attempt: 1), JsonSerializerOptions.Web);

    /// <summary>A delivery's row as a fan-out writes it, its first attempt not queued, claimed when given.</summary>
    async Task<Delivery> PendingDeliveryAsync(string subscription, string unit, DateTimeOffset? sendingSince)
    {
        Notification n = WebhookHostFixture.Notification(NotificationTypes.Reminder, unit);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string id = Delivery.IdOf(n, subscription);
        var delivery = new Delivery(id, subscription, n.Id, n.CampaignId, n.Type, n.Unit, n.Subject, DeliveryStatus.Pending,
            Attempts: 0, Queued: true, CreatedAt: now, RetryFrom: now, NextAttemptAt: now, SendingSince: sendingSince);
        Assert.True(await new DeliveryStore(fx.EvalTables).AddAsync(delivery, WebhookSender.EventOf(n, id, fx.Host.BaseAddress)));
        return delivery;
    }

    /// <summary>A dispatcher in this process over the host's tables and queues, with the host's options and binding key.</summary>
    Disposing<NotificationDispatcher> Dispatcher()
    {
        var sender = new WebhookSender(new WebhookTargets(fx.Options), fx.Options);
        var dispatcher = new NotificationDispatcher(fx.Outbox(), fx.Subscriptions, new DeliveryStore(fx.EvalTables), fx.Queues(), sender,
            new WebhookSource(fx.Host.BaseAddress), fx.Options, TimeProvider.System, NullLogger<NotificationDispatcher>.Instance);
        return new Disposing<NotificationDispatcher>(dispatcher, sender);
    }

    sealed record Disposing<T>(T Instance, IDisposable Owned) : IDisposable
    {
        public void Dispose() => Owned.Dispose();
    }

    /// <summary>Lets the first message of a queue client through and refuses the rest, as a queue that became unreachable.</summary>
    sealed class RefuseAfterFirstMessage : HttpPipelinePolicy
    {
        int sent;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("async only");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            bool isSend = message.Request.Method == RequestMethod.Post
                && message.Request.Uri.Path.EndsWith("/messages", StringComparison.Ordinal);
            if (isSend && Interlocked.Increment(ref sent) > 1)
                throw new RequestFailedException(503, "the queue is unreachable (injected by the test)");
            await ProcessNextAsync(message, pipeline);
        }
    }

    /// <summary>`./eval mail`'s output for this host's tables (the eval script runs the local host's dll the same way).</summary>
    async Task<string> MailAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Repo.LocalHostDll, "mail", "--limit", "100" },
            WorkingDirectory = Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["AzureWebJobsStorage"] = AzuriteInstance.Shared.ConnectionString;
        start.Environment["Storage__TablePrefix"] = fx.TablePrefix;
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"mail exited {process.ExitCode}: {error}");
        return await output;
    }
}
