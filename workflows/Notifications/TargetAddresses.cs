using System.Net;
using System.Net.Sockets;

namespace Eval.Workflows.Notifications;

/// <summary>
/// Which addresses a webhook may reach: public ones only. Everything else could turn the app into a way into its own network
/// (server-side request forgery): loopback, the private ranges, carrier-grade NAT, link-local (with the cloud metadata
/// service at 169.254.169.254), "this network", multicast, the reserved, documentation and benchmarking ranges, and their
/// IPv6 equivalents; an IPv4 address written as IPv6 (::ffff:a.b.c.d) is judged as the IPv4 address it is, and the
/// IPv6 forms that carry one inside (6to4, Teredo, NAT64) are refused outright.
/// </summary>
public static class TargetAddresses
{
    static readonly (IPNetwork Network, string Kind)[] RefusedV4 =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "a 'this network' address"),
        (IPNetwork.Parse("10.0.0.0/8"), "a private address"),
        (IPNetwork.Parse("100.64.0.0/10"), "a carrier-grade NAT address"),
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback address"),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local address (the cloud metadata service's range)"),
        (IPNetwork.Parse("172.16.0.0/12"), "a private address"),
        (IPNetwork.Parse("192.0.0.0/24"), "an IETF protocol address"),
        (IPNetwork.Parse("192.0.2.0/24"), "a documentation address"),
        (IPNetwork.Parse("192.88.99.0/24"), "a 6to4 relay address"),
        (IPNetwork.Parse("192.168.0.0/16"), "a private address"),
        (IPNetwork.Parse("198.18.0.0/15"), "a benchmarking address"),
        (IPNetwork.Parse("198.51.100.0/24"), "a documentation address"),
        (IPNetwork.Parse("203.0.113.0/24"), "a documentation address"),
        (IPNetwork.Parse("224.0.0.0/4"), "a multicast address"),
        (IPNetwork.Parse("240.0.0.0/4"), "a reserved address"),
    ];

    // Only global unicast (2000::/3) is public in IPv6; these are the named ranges outside it, and the reserved ones inside.
    static readonly (IPNetwork Network, string Kind)[] RefusedV6 =
    [
        (IPNetwork.Parse("::/128"), "the unspecified address"),
        (IPNetwork.Parse("::1/128"), "a loopback address"),
        (IPNetwork.Parse("64:ff9b::/96"), "a NAT64 address"),
        (IPNetwork.Parse("64:ff9b:1::/48"), "a NAT64 address"),
        (IPNetwork.Parse("100::/64"), "a discard address"),
        (IPNetwork.Parse("fc00::/7"), "a unique local (private) address"),
        (IPNetwork.Parse("fe80::/10"), "a link-local address"),
        (IPNetwork.Parse("fec0::/10"), "a site-local address"),
        (IPNetwork.Parse("ff00::/8"), "a multicast address"),
        (IPNetwork.Parse("2001::/23"), "an IETF protocol address (Teredo, benchmarking, ORCHID)"),
        (IPNetwork.Parse("2001:db8::/32"), "a documentation address"),
        (IPNetwork.Parse("2002::/16"), "a 6to4 address"),
        (IPNetwork.Parse("3fff::/20"), "a documentation address"),
    ];

    static readonly IPNetwork GlobalUnicastV6 = IPNetwork.Parse("2000::/3");

    /// <summary>Why the address may not be reached ("127.0.0.1 is a loopback address"), or null for a public address.</summary>
    public static string? WhyRefused(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6) return WhyRefused(address.MapToIPv4()) is { } why ? $"{address} ({why})" : null;
        if (address.AddressFamily == AddressFamily.InterNetwork)
            return RefusedV4.FirstOrDefault(r => r.Network.Contains(address)).Kind is { } v4 ? $"{address} is {v4}" : null;
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return $"{address} is not an IP address";
        // The scope of a link-local address (%eth0) does not change what it is.
        var bare = new IPAddress(address.GetAddressBytes());
        if (RefusedV6.FirstOrDefault(r => r.Network.Contains(bare)).Kind is { } v6) return $"{bare} is {v6}";
        return GlobalUnicastV6.Contains(bare) ? null : $"{bare} is not a global unicast address";
    }
}
