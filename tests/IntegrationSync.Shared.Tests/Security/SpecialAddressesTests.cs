using System.Net;
using IntegrationSync.Shared.Security.Outbound;
using Xunit;

namespace IntegrationSync.Shared.Tests.Security;

/// <summary>The outbound guard's decision over addresses: a table, never a connection.</summary>
public sealed class SpecialAddressesTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.255.254", "loopback")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("100.64.0.1", "shared (carrier-grade NAT)")]
    [InlineData("100.127.255.254", "shared (carrier-grade NAT)")]
    [InlineData("169.254.169.254", "link-local (cloud metadata)")]
    [InlineData("169.254.0.1", "link-local (cloud metadata)")]
    [InlineData("168.63.129.16", "cloud platform endpoint (Azure WireServer)")]
    [InlineData("0.0.0.0", "unspecified (this network)")]
    [InlineData("0.1.2.3", "unspecified (this network)")]
    [InlineData("255.255.255.255", "reserved (including broadcast)")]
    [InlineData("240.0.0.1", "reserved (including broadcast)")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("239.255.255.250", "multicast")]
    [InlineData("192.0.0.192", "reserved (IETF protocol assignments)")]
    [InlineData("192.0.2.10", "documentation")]
    [InlineData("198.18.0.1", "reserved (benchmarking)")]
    [InlineData("::1", "loopback")]
    [InlineData("::", "unspecified")]
    [InlineData("fc00::1", "unique-local (private)")]
    [InlineData("fd00:ec2::254", "unique-local (private)")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("febf::1", "link-local")]
    [InlineData("fec0::1", "site-local")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("2001:db8::1", "documentation")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo tunnel")]
    [InlineData("64:ff9b:1::1", "local-use NAT64")]
    public void A_non_public_address_is_refused_with_its_kind(string address, string kind) =>
        Assert.Equal(kind, SpecialAddresses.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::ffff:7f00:1", "loopback")]
    [InlineData("::ffff:169.254.169.254", "link-local (cloud metadata)")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("::127.0.0.1", "loopback")]
    [InlineData("::a9fe:a9fe", "link-local (cloud metadata)")]
    [InlineData("::ffff:0:127.0.0.1", "loopback")]
    [InlineData("64:ff9b::7f00:1", "loopback")]
    [InlineData("64:ff9b::a9fe:a9fe", "link-local (cloud metadata)")]
    [InlineData("2002:7f00:1::", "loopback")]
    [InlineData("2002:a9fe:a9fe::1", "link-local (cloud metadata)")]
    [InlineData("2002:c0a8:101::1", "private")]
    public void An_IPv6_form_of_a_refused_IPv4_address_is_refused_too(string address, string kind) =>
        Assert.Equal($"{kind} (IPv4 inside an IPv6 address)", SpecialAddresses.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("13.107.42.14")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("169.253.1.1")]
    [InlineData("2606:4700::6810:84e5")]
    [InlineData("2a00:1450:4001:82b::200e")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    public void A_public_address_is_allowed(string address) =>
        Assert.Null(SpecialAddresses.Classify(IPAddress.Parse(address)));
}
