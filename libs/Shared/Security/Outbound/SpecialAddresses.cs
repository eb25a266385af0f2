using System.Net;
using System.Net.Sockets;

namespace IntegrationSync.Shared.Security.Outbound;

/// <summary>
/// Which addresses are not the public internet: loopback, private, shared (CGNAT), link-local (the cloud metadata
/// address), multicast, reserved and documentation ranges, and IPv6 forms that carry such an IPv4 address
/// (mapped, compatible, NAT64, 6to4) or reach a local network (unique-local, link-local, site-local, Teredo).
/// A pure decision over an address: no DNS, no configuration.
/// </summary>
public static class SpecialAddresses
{
    private static readonly (IPNetwork Network, string Kind)[] V4 =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "unspecified (this network)"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "shared (carrier-grade NAT)"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("168.63.129.16/32"), "cloud platform endpoint (Azure WireServer)"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local (cloud metadata)"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.0.0.0/24"), "reserved (IETF protocol assignments)"),
        (IPNetwork.Parse("192.0.2.0/24"), "documentation"),
        (IPNetwork.Parse("192.88.99.0/24"), "reserved (6to4 relay)"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("198.18.0.0/15"), "reserved (benchmarking)"),
        (IPNetwork.Parse("198.51.100.0/24"), "documentation"),
        (IPNetwork.Parse("203.0.113.0/24"), "documentation"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved (including broadcast)"),
    ];

    private static readonly (IPNetwork Network, string Kind)[] V6 =
    [
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        (IPNetwork.Parse("64:ff9b:1::/48"), "local-use NAT64"),
        (IPNetwork.Parse("100::/64"), "discard"),
        (IPNetwork.Parse("2001::/32"), "Teredo tunnel"),
        (IPNetwork.Parse("2001:db8::/32"), "documentation"),
        (IPNetwork.Parse("fc00::/7"), "unique-local (private)"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fec0::/10"), "site-local"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork Compatible = IPNetwork.Parse("::/96");
    private static readonly IPNetwork Translated = IPNetwork.Parse("::ffff:0:0:0/96");

    /// <summary>Null for a public unicast address; otherwise what kind of address it is, e.g. "loopback".</summary>
    public static string? Classify(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return Match(V4, address);
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "not an IP address";
        }
        if (EmbeddedIPv4(address) is { } embedded)
        {
            return Classify(embedded) is { } kind ? $"{kind} (IPv4 inside an IPv6 address)" : null;
        }
        return Match(V6, address);
    }

    /// <summary>The IPv4 address an IPv6 address carries: mapped, compatible, SIIT-translated, NAT64 (64:ff9b::/96) or 6to4 (2002::/16).</summary>
    public static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }
        var bytes = address.GetAddressBytes();
        if (SixToFour.Contains(address))
        {
            return new IPAddress(bytes.AsSpan(2, 4));
        }
        // :: and ::1 fall inside ::/96 but are IPv6's own unspecified and loopback addresses.
        if (Nat64.Contains(address) || Translated.Contains(address) || (Compatible.Contains(address) && !IsUnspecifiedOrLoopback(address)))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }
        return null;
    }

    private static bool IsUnspecifiedOrLoopback(IPAddress address) =>
        address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6Loopback);

    private static string? Match((IPNetwork Network, string Kind)[] ranges, IPAddress address)
    {
        foreach (var (network, kind) in ranges)
        {
            if (network.Contains(address))
            {
                return kind;
            }
        }
        return null;
    }
}
