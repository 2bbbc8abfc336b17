using System.Net;
using Eval.Workflows.Notifications;

namespace Eval.UnitTests.Notifications;

/// <summary>Which addresses a webhook may reach: public ones only (the server-side request forgery rules).</summary>
public sealed class TargetAddressesTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
    [InlineData("10.0.0.1", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.254", "private")]
    [InlineData("192.168.100.1", "private")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("100.127.255.254", "carrier-grade NAT")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("0.0.0.0", "'this network'")]
    [InlineData("224.0.0.251", "multicast")]
    [InlineData("255.255.255.255", "reserved")]
    [InlineData("198.18.0.1", "benchmarking")]
    [InlineData("192.0.2.10", "documentation")]
    [InlineData("::1", "loopback")]
    [InlineData("::", "unspecified")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::ffff:10.1.2.3", "private")]
    [InlineData("::ffff:169.254.169.254", "link-local")]
    [InlineData("fc00::1", "unique local")]
    [InlineData("fd12:3456:789a::1", "unique local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fe80::1%2", "link-local")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("64:ff9b::a00:1", "NAT64")]
    [InlineData("2002:a00:1::1", "6to4")]
    [InlineData("2001:0:4136:e378::1", "Teredo")]
    [InlineData("2001:db8::1", "documentation")]
    [InlineData("::a00:1", "not a global unicast address")]
    public void Addresses_that_are_not_public_are_refused_with_what_they_are(string address, string kind)
    {
        string? why = TargetAddresses.WhyRefused(IPAddress.Parse(address));

        Assert.NotNull(why);
        Assert.Contains(kind, why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.1.1.1")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]     // just past 172.16/12
    [InlineData("100.128.0.1")]    // just past 100.64/10
    [InlineData("169.255.0.1")]
    [InlineData("11.0.0.1")]
    [InlineData("223.255.255.254")]
    [InlineData("2400:cb00::1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:1.1.1.1")]
    public void Public_addresses_are_allowed(string address) => Assert.Null(TargetAddresses.WhyRefused(IPAddress.Parse(address)));
}
