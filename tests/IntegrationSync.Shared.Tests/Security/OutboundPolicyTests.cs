using System.Net;
using IntegrationSync.Shared.Security.Outbound;
using Microsoft.Extensions.Options;
using Xunit;

namespace IntegrationSync.Shared.Tests.Security;

/// <summary>What the guard tells from a URL alone (webhook registration) and how the allow-list bends it; no DNS, no connection.</summary>
public sealed class OutboundPolicyTests
{
    private static readonly OutboundPolicy Default = Policy();

    private static OutboundPolicy Policy(string[]? hosts = null, string[]? networks = null) =>
        new(Options.Create(new OutboundOptions { AllowedHosts = [.. hosts ?? []], AllowedNetworks = [.. networks ?? []] }));

    [Theory]
    [InlineData("http://127.0.0.1/", "loopback address")]
    [InlineData("http://2130706433/", "loopback address")]
    [InlineData("http://0x7f.1/", "loopback address")]
    [InlineData("http://0x7f000001/", "loopback address")]
    [InlineData("http://017700000001/", "loopback address")]
    [InlineData("http://127.1/", "loopback address")]
    [InlineData("http://0/", "unspecified (this network) address")]
    [InlineData("https://169.254.169.254/latest/meta-data/", "link-local (cloud metadata) address")]
    [InlineData("https://2852039166/", "link-local (cloud metadata) address")]
    [InlineData("https://[::ffff:127.0.0.1]/", "loopback (IPv4 inside an IPv6 address) address")]
    [InlineData("https://[::ffff:a9fe:a9fe]/", "link-local (cloud metadata) (IPv4 inside an IPv6 address) address")]
    [InlineData("https://[::1]:8080/", "loopback address")]
    [InlineData("https://[fd00::1]/", "unique-local (private) address")]
    [InlineData("https://[fe80::1%25eth0]/", "link-local address")]
    [InlineData("https://10.0.0.5/hook", "private address")]
    [InlineData("https://localhost:8080/hook", "local host name")]
    [InlineData("https://LOCALHOST./hook", "local host name")]
    [InlineData("https://api.localhost/hook", "local host name")]
    [InlineData("https://metadata.google.internal/computeMetadata/v1/", "local host name")]
    [InlineData("https://integration-manager.castiel.svc.cluster.local/", "local host name")]
    [InlineData("https://integration-manager.castiel.svc/", "local host name")]
    [InlineData("https://printer.local/", "local host name")]
    [InlineData("https://kubernetes/", "single-label (cluster or intranet) host name")]
    public void A_url_whose_host_is_not_public_is_refused(string url, string kind) =>
        Assert.Equal(kind, Default.RefusalOf(new Uri(url)));

    [Theory]
    [InlineData("https://hooks.example.com/castiel")]
    [InlineData("https://8.8.8.8/hook")]
    [InlineData("https://[2606:4700::6810:84e5]/hook")]
    public void A_public_url_passes(string url) => Assert.Null(Default.RefusalOf(new Uri(url)));

    [Fact]
    public void The_allow_list_admits_named_hosts_and_networks_and_nothing_else()
    {
        var policy = Policy(hosts: ["localhost", "*.corp.example"], networks: ["127.0.0.0/8", "10.20.0.0/16"]);

        Assert.Null(policy.RefusalOf(new Uri("http://localhost:5000/")));
        Assert.Null(policy.RefusalOf(new Uri("http://crm.corp.example/")));
        Assert.Null(policy.RefusalOf(new Uri("http://127.0.0.1:5000/")));
        Assert.Null(policy.Refusal("anything", IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.Null(policy.Refusal("crm.corp.example", IPAddress.Parse("10.99.0.1")));
        Assert.Null(policy.Refusal("x.example", IPAddress.Parse("10.20.3.4")));
        Assert.Equal("private", policy.Refusal("x.example", IPAddress.Parse("10.21.0.1")));
        Assert.Equal("link-local (cloud metadata)", policy.Refusal("x.example", IPAddress.Parse("169.254.169.254")));
        Assert.Equal("local host name", policy.RefusalOf(new Uri("http://corp.example.internal/")));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/", true)]
    [InlineData("http://localhost:8080/", true)]
    [InlineData("https://x.corp.example/", true)]
    [InlineData("https://corp.example/", false)]
    [InlineData("http://10.20.0.1/", false)]
    [InlineData("https://api.hubapi.com/", false)]
    public void Only_an_allow_listed_host_is_exempt_from_vendor_pinning(string url, bool exempt) =>
        Assert.Equal(exempt, Policy(hosts: ["localhost", "*.corp.example"], networks: ["127.0.0.0/8"]).IsAllowListed(new Uri(url)));

    [Fact]
    public void An_empty_allow_list_is_the_default()
    {
        var options = new OutboundOptions();

        Assert.Empty(options.AllowedHosts);
        Assert.Empty(options.AllowedNetworks);
        Assert.False(Default.IsAllowListed(new Uri("http://127.0.0.1/")));
    }
}
