using System.Net;
using System.Net.Http.Headers;
using IntegrationSync.TestSupport;

namespace IntegrationSync.SyncApi.Tests.Health;

public sealed class ReadinessTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task Readiness_tells_an_anonymous_caller_only_the_status()
    {
        using var anonymous = host.AnonymousClient();

        var ready = await ApiAssert.OkAsync(await anonymous.GetAsync("/health/ready"));

        Assert.Equal(["status", "timestamp"], ready.Select(p => p.Key).Order());
        Assert.Equal("healthy", ready["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Readiness_shows_each_check_to_a_caller_with_a_valid_access_token()
    {
        using var client = host.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            TestTokens.UserToken(Guid.NewGuid().ToString(), TestInfrastructure.JwtSecret));

        var ready = await ApiAssert.OkAsync(await client.GetAsync("/health/ready"));

        Assert.Equal(["cosmos", "rabbitmq"], ready["checks"]!.AsObject().Select(c => c.Key).Order());
        Assert.All(ready["checks"]!.AsObject(), c => Assert.Equal("healthy", c.Value!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_token_signed_with_another_secret_gets_only_the_status()
    {
        using var client = host.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            TestTokens.UserToken(Guid.NewGuid().ToString(), "another-secret-that-is-long-enough-0123456789"));

        var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null((await ApiAssert.OkAsync(response))["checks"]);
    }
}
