using System.Net;
using System.Net.Http.Json;

namespace IntegrationSync.SyncApi.Tests.Webhooks;

public sealed class AllowHttpHost : ApiHost
{
    protected override IEnumerable<string> ExtraArgs => ["--webhooks:allow_http=true", "--outbound:allowed_hosts:0=localhost", "--outbound:allowed_networks:0=127.0.0.0/8"];
}

public sealed class AllowHttpTests(AllowHttpHost host) : IClassFixture<AllowHttpHost>
{
    [Fact]
    public async Task With_allow_http_a_plain_http_url_is_accepted()
    {
        using var client = host.ClientFor(Guid.NewGuid().ToString());

        var created = await ApiAssert.OkAsync(await client.PostAsJsonAsync("/api/v1/webhooks",
            new { integrationId = Guid.NewGuid().ToString(), url = "http://hooks.example.com:9000/hook", events = new[] { "integration.sync.completed" } }),
            HttpStatusCode.Created);

        Assert.Equal("http://hooks.example.com:9000/hook", created["url"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("http://127.0.0.1:9000/hook")]
    [InlineData("http://localhost:9000/hook")]
    public async Task A_loopback_url_is_accepted_only_because_the_outbound_allow_list_names_it(string url)
    {
        using var client = host.ClientFor(Guid.NewGuid().ToString());

        var created = await ApiAssert.OkAsync(await client.PostAsJsonAsync("/api/v1/webhooks",
            new { integrationId = Guid.NewGuid().ToString(), url, events = new[] { "integration.sync.completed" } }), HttpStatusCode.Created);

        Assert.Equal(url, created["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_metadata_address_stays_refused_with_loopback_allowed()
    {
        using var client = host.ClientFor(Guid.NewGuid().ToString());

        var refused = await client.PostAsJsonAsync("/api/v1/webhooks",
            new { integrationId = Guid.NewGuid().ToString(), url = "http://169.254.169.254/latest/meta-data/", events = new[] { "integration.sync.completed" } });

        Assert.Contains("url", ApiAssert.Fields(await ApiAssert.ErrorAsync(refused, HttpStatusCode.BadRequest, "VALIDATION_ERROR")));
    }
}
