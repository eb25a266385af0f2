using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationSync.TestSupport;

namespace IntegrationSync.Fleet.Tests;

public sealed class ApiAuthTests(FleetHarness fleet) : IClassFixture<FleetHarness>
{
    [Fact]
    public async Task Health_and_readiness_answer_without_a_token()
    {
        using var client = new HttpClient { BaseAddress = fleet.Api.BaseAddress };

        var health = await client.GetFromJsonAsync<JsonObject>("/health");
        var ready = await client.GetAsync("/ready");
        var readyBody = await ready.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal("healthy", health!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready", readyBody!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Theory]
    [InlineData(null, null, HttpStatusCode.Unauthorized, "UNAUTHORIZED")]
    [InlineData("valid", null, HttpStatusCode.Unauthorized, "UNAUTHORIZED")]
    [InlineData("valid", "not-a-uuid", HttpStatusCode.Forbidden, "FORBIDDEN")]
    [InlineData("valid", "other", HttpStatusCode.Unauthorized, "UNAUTHORIZED")]
    [InlineData("wrong-secret", "own", HttpStatusCode.Unauthorized, "UNAUTHORIZED")]
    [InlineData("expired", "own", HttpStatusCode.Unauthorized, "UNAUTHORIZED")]
    public async Task Requests_without_a_matching_token_and_tenant_are_refused(string? token, string? tenantHeader, HttpStatusCode status, string code)
    {
        using var client = new HttpClient { BaseAddress = fleet.Api.BaseAddress };
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sync/tasks/{Guid.NewGuid()}");
        if (token is not null)
        {
            var jwt = token switch
            {
                "wrong-secret" => TestTokens.UserToken(fleet.TenantId, "another-secret-that-is-long-enough-0123456789"),
                "expired" => TestTokens.UserToken(fleet.TenantId, TestInfrastructure.JwtSecret, lifetime: TimeSpan.FromMinutes(-2)),
                _ => TestTokens.UserToken(fleet.TenantId, TestInfrastructure.JwtSecret),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt);
        }
        if (tenantHeader is not null)
        {
            request.Headers.Add("X-Tenant-ID", tenantHeader switch { "own" => fleet.TenantId, "other" => Guid.NewGuid().ToString(), _ => tenantHeader });
        }

        var response = await client.SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_task_is_a_404()
    {
        var response = await fleet.Api.GetAsync($"/api/v1/sync/tasks/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("TASK_NOT_FOUND", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{not json", "body")]
    [InlineData("[]", "body")]
    [InlineData("{}", "integrationId")]
    [InlineData("""{"integrationId":"abc"}""", "integrationId")]
    [InlineData("""{"integrationId":42}""", "integrationId")]
    [InlineData("""{"integrationId":"5f2b6a1e-8c3d-4e7f-9a10-2b3c4d5e6f70","direction":"sideways"}""", "direction")]
    [InlineData("""{"integrationId":"5f2b6a1e-8c3d-4e7f-9a10-2b3c4d5e6f70","filters":"all"}""", "filters")]
    public async Task A_bad_trigger_body_is_a_400_naming_the_field(string body, string field)
    {
        var response = await fleet.Api.PostAsync("/api/v1/sync/trigger", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Equal("VALIDATION_ERROR", error["code"]!.GetValue<string>());
        Assert.Contains(error["details"]!.AsArray(), d => d!["field"]!.GetValue<string>() == field);
    }

    [Fact]
    public async Task Another_tenants_task_is_a_404()
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 1);
        var created = await fleet.Api.PostAsJsonAsync("/api/v1/sync/trigger", new { integrationId });
        var taskId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["taskId"]!.GetValue<string>();
        var otherTenant = Guid.NewGuid().ToString();
        using var other = new HttpClient { BaseAddress = fleet.Api.BaseAddress };
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.UserToken(otherTenant, TestInfrastructure.JwtSecret));
        other.DefaultRequestHeaders.Add("X-Tenant-ID", otherTenant);

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/sync/tasks/{taskId}")).StatusCode);
    }
}
