using System.Net;
using System.Net.Http.Json;

namespace IntegrationSync.SyncApi.Tests.Webhooks;

public sealed class AllowHttpHost : ApiHost
{
    protected override IEnumerable<string> ExtraArgs => ["--webhooks:allow_http=true"];
}

public sealed class AllowHttpTests(AllowHttpHost host) : IClassFixture<AllowHttpHost>
{
    [Fact]
    public async Task With_allow_http_a_plain_http_url_is_accepted()
    {
        using var client = host.ClientFor(Guid.NewGuid().ToString());

        var created = await ApiAssert.OkAsync(await client.PostAsJsonAsync("/api/v1/webhooks",
            new { integrationId = Guid.NewGuid().ToString(), url = "http://127.0.0.1:9000/hook", events = new[] { "integration.sync.completed" } }),
            HttpStatusCode.Created);

        Assert.Equal("http://127.0.0.1:9000/hook", created["url"]!.GetValue<string>());
    }
}
