using System.Net;
using System.Net.Sockets;

namespace Eval.Workflows.Notifications;

/// <summary>A delivery's target was refused where it connects: every address its host name resolved to is not public.</summary>
public sealed class TargetRefusedException(string message) : Exception(message);

/// <summary>
/// Where webhooks may go (<see cref="TargetAddresses"/>), checked twice: when a subscription is made (its URL, and every
/// address its host name resolves to then), and when a delivery connects, in <see cref="ConnectAsync"/>, which resolves the
/// name itself and connects only to an address it checked. A name that resolved to a public address when the subscription
/// was made and resolves to 127.0.0.1 now (DNS rebinding) reaches nothing. Unless
/// <see cref="NotificationOptions.AllowPrivateTargets"/> (local development) lets http and any address through.
/// </summary>
public sealed class WebhookTargets(NotificationOptions options, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
{
    public const int MaxUrlLength = 2000;

    static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    readonly Func<string, CancellationToken, Task<IPAddress[]>> resolve = resolve ?? Dns.GetHostAddressesAsync;

    public bool AllowPrivate => options.AllowPrivateTargets;

    /// <summary>Why a subscription may not name this URL (a sentence for the 422), or null when it may.</summary>
    public async Task<string?> WhyRefusedAsync(string url, CancellationToken ct = default)
    {
        if (url.Length > MaxUrlLength) return $"longer than {MaxUrlLength} characters";
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Host.Length == 0) return "not an absolute URL";
        if (uri.Scheme != Uri.UriSchemeHttps && !(AllowPrivate && uri.Scheme == Uri.UriSchemeHttp))
            return "must be an https URL";
        if (uri.UserInfo.Length > 0) return "must not carry a user name or password";
        if (uri.Fragment.Length > 0) return "must not have a fragment (#…)";
        if (AllowPrivate) return null;

        IPAddress[] addresses;
        if (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out IPAddress? literal)) addresses = [literal];
        else
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(ResolveTimeout);
            try
            {
                addresses = await resolve(uri.IdnHost, timeout.Token);
            }
            catch (Exception e) when ((e is SocketException or OperationCanceledException) && !ct.IsCancellationRequested)
            {
                return $"its host name {uri.IdnHost} does not resolve";
            }
            if (addresses.Length == 0) return $"its host name {uri.IdnHost} does not resolve";
        }
        string[] refused = [.. addresses.Select(TargetAddresses.WhyRefused).OfType<string>()];
        return refused.Length == 0 ? null
            : "must reach only public addresses, and " + (literal is null ? $"{uri.IdnHost} resolves to: " : "")
                + string.Join("; ", refused);
    }

    /// <summary>
    /// SocketsHttpHandler's ConnectCallback: resolves the host, skips every address that is not public, and connects to the
    /// first public one that answers. The address connected to is the address checked.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        DnsEndPoint endpoint = context.DnsEndPoint;
        string host = endpoint.Host.Trim('[', ']');
        IPAddress[] addresses = IPAddress.TryParse(host, out IPAddress? literal) ? [literal] : await resolve(host, ct);
        var refused = new List<string>();
        Exception? failure = null;
        foreach (IPAddress address in addresses)
        {
            if (!AllowPrivate && TargetAddresses.WhyRefused(address) is { } why)
            {
                refused.Add(why);
                continue;
            }
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                failure = e;
                if (ct.IsCancellationRequested) throw;
            }
        }
        if (failure is not null) throw failure;
        throw new TargetRefusedException(refused.Count > 0 ? $"{host}: {string.Join("; ", refused)}" : $"{host} resolves to no address");
    }
}
