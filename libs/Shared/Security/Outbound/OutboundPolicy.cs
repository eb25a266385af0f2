using System.Net;
using Microsoft.Extensions.Options;

namespace IntegrationSync.Shared.Security.Outbound;

/// <summary>
/// Decides whether a call made on a tenant's behalf may reach a host: only public addresses, unless
/// <c>outbound.allowed_hosts</c> / <c>outbound.allowed_networks</c> say otherwise. The connect-time guard
/// (<see cref="GuardedConnection"/>) asks it about every resolved address; registration asks about a URL's literal host.
/// </summary>
public sealed class OutboundPolicy
{
    // Names that only ever mean this machine, the local network or a cluster's own services.
    private static readonly string[] LocalNames = ["localhost", "*.localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback",
        "*.local", "*.localdomain", "*.internal", "*.intranet", "*.lan", "*.home.arpa", "*.svc", "*.cluster.local"];

    private readonly IReadOnlyList<string> _hosts;
    private readonly IReadOnlyList<IPNetwork> _networks;

    public OutboundPolicy(IOptions<OutboundOptions> options)
    {
        _hosts = options.Value.AllowedHosts;
        _networks = options.Value.AllowedNetworks.Select(n => IPNetwork.Parse(n)).ToList();
    }

    /// <summary>Named in <c>allowed_hosts</c>, or an IP literal inside <c>allowed_networks</c>: exempt from vendor host pinning.</summary>
    public bool IsAllowListed(Uri url)
    {
        var host = HostPattern.Normalize(url.IdnHost);
        return HostPattern.MatchesAny(host, _hosts) || (IPAddress.TryParse(host, out var address) && InAllowedNetwork(address));
    }

    /// <summary>Null when <paramref name="host"/> may be reached at <paramref name="address"/>; otherwise the kind of address refused.</summary>
    public string? Refusal(string host, IPAddress address) =>
        HostPattern.MatchesAny(HostPattern.Normalize(host), _hosts) || InAllowedNetwork(address) ? null : SpecialAddresses.Classify(address);

    /// <summary>
    /// What can be told from a URL without resolving it: a literal address that is not public, or a name that only
    /// means a local machine or network (<c>localhost</c>, <c>*.internal</c>, <c>*.svc.cluster.local</c>, a single label).
    /// Names that resolve to such addresses are refused when connecting.
    /// </summary>
    public string? RefusalOf(Uri url)
    {
        var host = HostPattern.Normalize(url.IdnHost);
        if (IPAddress.TryParse(host, out var address))
        {
            return Refusal(host, address) is { } kind ? $"{kind} address" : null;
        }
        if (HostPattern.MatchesAny(host, _hosts))
        {
            return null;
        }
        if (HostPattern.MatchesAny(host, LocalNames))
        {
            return "local host name";
        }
        return host.Contains('.', StringComparison.Ordinal) ? null : "single-label (cluster or intranet) host name";
    }

    private bool InAllowedNetwork(IPAddress address)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _networks.Any(n => n.Contains(plain));
    }
}
