using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Eval.FunctionalTests.Infrastructure;
using Eval.LocalHost;
using Eval.Workflows.Domain;
using Eval.Workflows.Notifications;

namespace Eval.FunctionalTests;

/// <summary>
/// Where webhooks may not go, on a host configured as in Azure (local development's setting off): a subscription to a
/// URL that is not https, or whose host is or resolves to a loopback, private, link-local, CGNAT or other non-public
/// address, is refused with a 422 at /url saying why; and a delivery whose host name resolves to such an address when it
/// is sent (a name that pointed elsewhere when the subscription was made: DNS rebinding) connects to nothing.
/// </summary>
public sealed class WebhookTargetTests(PublicTargetsHostFixture fx) : IClassFixture<PublicTargetsHostFixture>
{
    static readonly PerFixture<TestCounty> Counties = new();

    Task<TestCounty> CountyAsync() => Counties.GetAsync(fx, async () =>
    {
        using var driver = new CampaignDriver(fx.Host);
        return await driver.CreateCountyAsync(townships: 1, branchesPerTownship: 1);
    });

    [Theory]
    [InlineData("https://10.0.0.1/hook", "10.0.0.1 is a private address")]
    [InlineData("https://192.168.1.20:8443/hook", "192.168.1.20 is a private address")]
    [InlineData("https://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address")]
    [InlineData("https://[::1]/hook", "::1 is a loopback address")]
    [InlineData("https://[::ffff:127.0.0.1]/hook", "a loopback address")]
    [InlineData("https://[fd12:3456::1]/hook", "a unique local (private) address")]
    [InlineData("https://100.64.0.1/hook", "a carrier-grade NAT address")]
    [InlineData("https://0.0.0.0/hook", "a 'this network' address")]
    [InlineData("https://localhost/hook", "localhost resolves to")]
    [InlineData("http://relay.example.org/hook", "must be an https URL")]
    [InlineData("https://user:secret@relay.example.org/hook", "must not carry a user name or password")]
    public async Task A_subscription_to_an_address_that_is_not_public_is_refused_at_url(string url, string reason)
    {
        TestCounty county = await CountyAsync();
        using HttpResponseMessage r = await fx.SubscribeAsync(county.Id, url, [NotificationTypes.Reminder]);
        string body = await r.Content.ReadAsStringAsync();

        Assert.True(r.StatusCode == HttpStatusCode.UnprocessableEntity, body);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        JsonElement error = JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateArray().Single();
        Assert.Equal("/url", error.GetProperty("pointer").GetString());
        Assert.Contains(reason, error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        if (url.Contains("localhost", StringComparison.Ordinal))
            Assert.Contains("loopback", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        JsonElement list = await fx.Host.As(Roles.OrgDepartment, county.Id)
            .GetFromJsonAsync<JsonElement>($"api/subscriptions?unit={county.Id}");
        Assert.Empty(list.GetProperty("subscriptions").EnumerateArray());
    }

    [Fact]
    public async Task A_delivery_whose_host_name_now_resolves_to_loopback_connects_to_nothing()
    {
        TestCounty county = await CountyAsync();
        // A listener that counts connections: if the host connected, even for TLS that fails, it would show here.
        using var listener = new TcpListener(IPAddress.Loopback, FreePort.Next());
        listener.Start();
        int connections = 0;
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using TcpClient accepted = await listener.AcceptTcpClientAsync();
                    Interlocked.Increment(ref connections);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        });

        // As if made while its name still resolved to a public address: written as the API writes one, without its checks.
        var subscription = new Subscription(Subscription.NewId(), county.Id,
            $"https://localhost:{((IPEndPoint)listener.LocalEndpoint).Port}/hook", [NotificationTypes.Reminder], "改了解析的中继",
            new Actor("org@test", "组织部", Roles.OrgDepartment), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        await fx.Subscriptions.AddAsync(subscription, WebhookSecret.New());
        // Several at once: a refusal takes a millisecond, so each attempt races its own queueing (the message is taken
        // before its sender wrote down that it was queued), and every delivery must still go on to its next attempt.
        for (int i = 0; i < 4; i++)
            Assert.True(await fx.Outbox().EnqueueAsync(WebhookHostFixture.Notification(NotificationTypes.Reminder, county.Branches[0])));

        JsonElement[] refused = (JsonElement[])await Poll.UntilAsync<object>(async () =>
            (await fx.DeliveriesAsync(county.Id, subscription.Id)) is { Length: 4 } all
            && all.All(d => d.GetProperty("attempts").GetInt32() >= 2) ? all : null,
            TimeSpan.FromSeconds(30), "two refused attempts of each delivery", () => fx.Host.Output);
        foreach (JsonElement delivery in refused)
        {
            string result = delivery.GetProperty("lastResult").GetString()!;
            Assert.StartsWith("refused: localhost", result, StringComparison.Ordinal);
            Assert.Contains("a loopback address", result, StringComparison.Ordinal);
            Assert.Equal(DeliveryStatus.Pending, delivery.GetProperty("status").GetString());
        }
        Assert.Equal(0, Volatile.Read(ref connections));
    }
}
