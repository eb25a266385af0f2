using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.Http;
using IntegrationSync.SyncRunner.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationSync.SyncRunner.Tests.Adapters.Http;

/// <summary>The decisions <see cref="AdapterHttp"/> takes without a vendor: paging links, vendor hosts, error text.</summary>
public sealed class AdapterHttpTests : IAsyncLifetime
{
    private static readonly Uri Start = new("https://acme.my.salesforce.com/services/data/v60.0/query?q=SELECT");
    private ServiceProvider _services = null!;
    private AdapterHttp _http = null!;

    public Task InitializeAsync()
    {
        _services = AdapterServices.Build();
        _http = _services.GetRequiredService<AdapterHttpFactory>().Create("adapter-rest", "test");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Theory]
    [InlineData("/services/data/v60.0/query/01g-3", "https://acme.my.salesforce.com/services/data/v60.0/query/01g-3")]
    [InlineData("query/01g-3", "https://acme.my.salesforce.com/services/data/v60.0/query/01g-3")]
    [InlineData("https://ACME.my.salesforce.com:443/next?page=2", "https://acme.my.salesforce.com/next?page=2")]
    public void A_paging_link_on_the_starting_host_is_followed(string link, string expected) =>
        Assert.Equal(expected, _http.SameOrigin(Start, link).AbsoluteUri);

    [Theory]
    [InlineData("https://other.my.salesforce.com/next")]
    [InlineData("http://acme.my.salesforce.com/next")]
    [InlineData("https://acme.my.salesforce.com:8443/next")]
    [InlineData("//attacker.example/next")]
    [InlineData("https://acme.my.salesforce.com@attacker.example/next")]
    [InlineData("https://user:secret@acme.my.salesforce.com/next")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    public void A_paging_link_to_another_scheme_host_or_port_fails_permanently(string link)
    {
        var error = Assert.Throws<AdapterException>(() => _http.SameOrigin(Start, link));

        Assert.Equal(AdapterErrorKind.Permanent, error.Kind);
        Assert.DoesNotContain("secret", error.Message);
    }

    [Theory]
    [InlineData("https://acme.my.salesforce.com", true)]
    [InlineData("https://acme--dev.sandbox.my.salesforce.com", true)]
    [InlineData("https://acme.lightning.force.com", true)]
    [InlineData("https://salesforce.com", false)]
    [InlineData("https://evilsalesforce.com", false)]
    [InlineData("https://acme.my.salesforce.com.attacker.example", false)]
    [InlineData("http://acme.my.salesforce.com", false)]
    [InlineData("http://127.0.0.1:8080", true)]
    [InlineData("http://localhost:8080", false)]
    public void A_vendor_url_must_be_https_on_the_vendors_hosts_unless_allow_listed(string url, bool allowed)
    {
        var pinned = Record.Exception(() => _http.Pinned(url, "instanceUrl", "*.salesforce.com", "*.force.com"));

        Assert.Equal(allowed, pinned is null);
    }

    [Theory]
    [InlineData("""[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]""", " (vendor error INVALID_SESSION_ID: Session expired or invalid)")]
    [InlineData("""{"error":{"code":"0x80040216","message":"An unexpected error occurred."}}""", " (vendor error 0x80040216: An unexpected error occurred.)")]
    [InlineData("""{"status":"error","message":"internal error","category":"INTERNAL_ERROR"}""", " (vendor error INTERNAL_ERROR: internal error)")]
    [InlineData("""{"error":"invalid_grant","error_description":"token revoked"}""", " (vendor error invalid_grant: token revoked)")]
    [InlineData("""{"code":"has spaces <script>","message":"line one\nline two"}""", " (vendor error line one line two)")]
    [InlineData("<html><body>root:x:0:0 internal admin page</body></html>", "")]
    [InlineData("", "")]
    public void A_vendor_error_body_is_reduced_to_a_plain_code_and_a_short_single_line_message(string body, string expected) =>
        Assert.Equal(expected, VendorError.Describe(body));

    [Fact]
    public void A_long_vendor_message_is_cut_and_its_urls_lose_their_query()
    {
        var message = VendorError.Sanitize($"see https://api.example/x?access_token=abc123&sig=1 {new string('y', 500)}")!;

        Assert.StartsWith("see https://api.example/x y", message);
        Assert.DoesNotContain("abc123", message);
        Assert.True(message.Length <= 161);
    }
}
