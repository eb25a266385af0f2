using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace IntegrationSync.Shared.Security.Outbound;

/// <summary>
/// The allow-list of the outbound guard (section <c>outbound</c>): what a call made on a tenant's behalf may reach
/// although it is not the public internet, or although it is not the vendor's own host. Empty by default; the
/// local fleet and the tests allow loopback, where their vendor fakes listen.
/// </summary>
public sealed class OutboundOptions
{
    public const string Section = "outbound";

    /// <summary>Host names (exact, or <c>*.example.com</c> for its subdomains) reached whatever they resolve to, and exempt from vendor host pinning.</summary>
    [ConfigurationKeyName("allowed_hosts"), HostPatterns]
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Networks in CIDR form (<c>127.0.0.0/8</c>, <c>fd00::/8</c>) whose addresses may be reached; an IP literal inside one is exempt from pinning.</summary>
    [ConfigurationKeyName("allowed_networks"), Networks]
    public List<string> AllowedNetworks { get; set; } = [];
}

[AttributeUsage(AttributeTargets.Property)]
internal sealed class NetworksAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        var bad = (value as IEnumerable<string> ?? []).Where(n => !IPNetwork.TryParse(n, out _)).ToList();
        return bad.Count == 0 ? ValidationResult.Success : new ValidationResult($"'{string.Join("', '", bad)}' is not a network in CIDR form (e.g. 10.1.0.0/16)");
    }
}

[AttributeUsage(AttributeTargets.Property)]
internal sealed class HostPatternsAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        var bad = (value as IEnumerable<string> ?? []).Where(h => !HostPattern.IsValid(h)).ToList();
        return bad.Count == 0 ? ValidationResult.Success : new ValidationResult($"'{string.Join("', '", bad)}' is not a host name or *.domain pattern");
    }
}
