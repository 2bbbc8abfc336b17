using System.Net;
using System.Net.Sockets;
using Eval.Workflows.Notifications;

namespace Eval.UnitTests.Notifications;

/// <summary>
/// The URL check of a subscription and the connection of a delivery. Names are resolved by a resolver of the test's
/// (the one fake here, standing for DNS), so that a name can change its address between the two, as DNS rebinding does;
/// the connection is real, to a listener on loopback.
/// </summary>
public sealed class WebhookTargetsTests
{
    static WebhookTargets Targets(bool allowPrivate, Dictionary<string, IPAddress[]> dns) =>
        new(new NotificationOptions { AllowPrivateTargets = allowPrivate },
            (host, _) => dns.TryGetValue(host, out IPAddress[]? a) ? Task.FromResult(a) : throw new SocketException(11001));

    static readonly Dictionary<string, IPAddress[]> Dns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["relay.example.org"] = [IPAddress.Parse("93.184.216.34"), IPAddress.Parse("2606:2800:220:1::1")],
        ["half-private.example.org"] = [IPAddress.Parse("93.184.216.34"), IPAddress.Parse("10.0.0.5")],
        ["rebound.example.org"] = [IPAddress.Loopback],
    };

    [Theory]
    [InlineData("https://relay.example.org/eval/hook", null)]
    [InlineData("https://93.184.216.34:8443/hook", null)]
    [InlineData("http://relay.example.org/hook", "must be an https URL")]
    [InlineData("ftp://relay.example.org/hook", "must be an https URL")]
    [InlineData("relay.example.org/hook", "not an absolute URL")]
    [InlineData("https://user:pw@relay.example.org/hook", "must not carry a user name or password")]
    [InlineData("https://relay.example.org/hook#top", "must not have a fragment")]
    [InlineData("https://half-private.example.org/hook", "half-private.example.org resolves to: 10.0.0.5 is a private address")]
    [InlineData("https://rebound.example.org/hook", "127.0.0.1 is a loopback address")]
    [InlineData("https://nowhere.example.org/hook", "does not resolve")]
    [InlineData("https://[fe80::1]/hook", "link-local")]
    public async Task A_subscription_URL_must_be_https_and_reach_only_public_addresses(string url, string? refusal)
    {
        string? why = await Targets(allowPrivate: false, Dns).WhyRefusedAsync(url);

        if (refusal is null) Assert.Null(why);
        else Assert.Contains(refusal, why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("https://10.0.0.1/hook")]
    public async Task Local_development_allows_http_and_private_addresses(string url) =>
        Assert.Null(await Targets(allowPrivate: true, Dns).WhyRefusedAsync(url));

    [Fact]
    public async Task A_delivery_never_connects_to_an_address_that_is_not_public_whatever_the_name_said_before()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        // When the subscription was made the name was public; now it resolves to loopback.
        var dns = new Dictionary<string, IPAddress[]>(Dns) { ["relay.example.org"] = [IPAddress.Loopback, IPAddress.IPv6Loopback] };
        using var client = new HttpClient(new SocketsHttpHandler { ConnectCallback = Targets(allowPrivate: false, dns).ConnectAsync });

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"http://relay.example.org:{port}/hook"));

        var refused = Assert.IsType<TargetRefusedException>(e.InnerException);
        Assert.Contains("127.0.0.1 is a loopback address", refused.Message, StringComparison.Ordinal);
        Assert.Contains("::1 is a loopback address", refused.Message, StringComparison.Ordinal);
        Assert.False(listener.Pending(), "a connection reached the listener");
        // An address literal is judged the same way.
        e = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"http://127.0.0.1:{port}/hook"));
        Assert.IsType<TargetRefusedException>(e.InnerException);
        Assert.False(listener.Pending(), "a connection reached the listener");
    }

    [Fact]
    public async Task With_private_targets_allowed_the_same_connection_is_made()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var dns = new Dictionary<string, IPAddress[]> { ["relay.example.org"] = [IPAddress.Loopback] };
        using var handler = new SocketsHttpHandler { ConnectCallback = Targets(allowPrivate: true, dns).ConnectAsync };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };

        Task<HttpResponseMessage> request = client.GetAsync($"http://relay.example.org:{port}/hook");
        using TcpClient accepted = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(accepted.Connected);
        await Assert.ThrowsAnyAsync<Exception>(() => request); // nothing answers: what matters is that it connected
    }
}
