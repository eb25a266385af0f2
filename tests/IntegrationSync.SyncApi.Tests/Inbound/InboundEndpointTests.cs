using System.Net;
using System.Net.Http.Json;
using System.Text;
using IntegrationSync.SyncApi.Inbound;

namespace IntegrationSync.SyncApi.Tests.Inbound;

public sealed class InboundEndpointTests(InboundHost host) : IClassFixture<InboundHost>
{
    [Fact]
    public async Task A_standard_endpoint_gets_a_generated_whsec_secret_shown_once()
    {
        var (tenant, integrationId, endpoint) = await host.EndpointAsync(new { provider = "standard", entityType = "contact" });

        var secret = endpoint["secret"]!.GetValue<string>();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal($"/api/v1/webhooks/inbound/{integrationId}", endpoint["url"]!.GetValue<string>());
        using var client = host.ClientFor(tenant);
        var read = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/integrations/{integrationId}/inbound-webhook"));
        Assert.True(read["hasSecret"]!.GetValue<bool>());
        Assert.Equal(("standard", "contact"), (read["provider"]!.GetValue<string>(), read["entityType"]!.GetValue<string>()));
        Assert.DoesNotContain(secret, read.ToJsonString());
    }

    [Fact]
    public async Task A_salesforce_endpoint_url_carries_a_token_shown_only_when_it_is_set_up()
    {
        var (tenant, integrationId, endpoint) = await host.EndpointAsync(new { provider = "salesforce", organizationId = "00D5e000000KQ2eEAG" });

        var url = endpoint["url"]!.GetValue<string>();
        Assert.Matches($"^/api/v1/webhooks/inbound/{integrationId}/[A-Za-z0-9_-]{{43}}$", url);
        using var client = host.ClientFor(tenant);
        var read = await client.GetStringAsync($"/api/v1/integrations/{integrationId}/inbound-webhook");
        Assert.DoesNotContain(url.Split('/')[^1], read);
        Assert.Contains("{token}", read);
    }

    [Fact]
    public async Task An_integration_integration_manager_does_not_give_the_tenant_cannot_get_an_endpoint()
    {
        var owner = Guid.NewGuid().ToString();
        var integrationId = host.IntegrationOf(owner);
        using var intruder = host.ClientFor(Guid.NewGuid().ToString());

        var response = await intruder.PutAsJsonAsync($"/api/v1/integrations/{integrationId}/inbound-webhook", new { provider = "standard" });

        await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "INTEGRATION_NOT_FOUND");
    }

    [Theory]
    [InlineData("""{"provider":"zapier"}""", "provider")]
    [InlineData("""{}""", "provider")]
    [InlineData("""{"provider":"hubspot"}""", "secret")]
    [InlineData("""{"provider":"salesforce"}""", "organizationId")]
    [InlineData("""{"provider":"salesforce","organizationId":"00D5e000000KQ2eEAG","secret":"0123456789abcdef"}""", "secret")]
    [InlineData("""{"provider":"standard","secret":"whsec_c2hvcnQ="}""", "secret")]
    [InlineData("""{"provider":"dynamics","secret":"short"}""", "secret")]
    [InlineData("""{"provider":"standard","organizationId":"00D5e000000KQ2eEAG"}""", "organizationId")]
    [InlineData("""{"provider":"standard","entityType":"a/b"}""", "entityType")]
    [InlineData("""{"provider":"standard","filters":["stage"]}""", "filters")]
    [InlineData("""{"provider":"standard","url":"x"}""", "url")]
    public async Task A_bad_endpoint_is_a_400_naming_the_field(string body, string field)
    {
        var tenant = Guid.NewGuid().ToString();
        var integrationId = host.IntegrationOf(tenant);
        using var client = host.ClientFor(tenant);

        var response = await client.PutAsync($"/api/v1/integrations/{integrationId}/inbound-webhook", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Contains(field, ApiAssert.Fields(await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "VALIDATION_ERROR")));
    }

    [Fact]
    public async Task After_deleting_the_endpoint_its_notifications_are_refused()
    {
        var (tenant, integrationId, endpoint) = await host.EndpointAsync(new { provider = "standard" });
        using var client = host.ClientFor(tenant);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/integrations/{integrationId}/inbound-webhook")).StatusCode);

        using var provider = host.AnonymousClient();
        var refused = await provider.SendAsync(InboundHost.StandardWebhook(endpoint["url"]!.GetValue<string>(), endpoint["secret"]!.GetValue<string>(),
            "evt_1", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "{}"));
        await ApiAssert.ErrorAsync(refused, HttpStatusCode.Unauthorized, "WEBHOOK_SIGNATURE_INVALID");
        await ApiAssert.ErrorAsync(await client.GetAsync($"/api/v1/integrations/{integrationId}/inbound-webhook"), HttpStatusCode.NotFound,
            "INBOUND_ENDPOINT_NOT_FOUND");
    }

    [Fact]
    public async Task An_integration_whose_notifications_another_tenant_receives_cannot_be_claimed_by_a_second_one()
    {
        var tenant = Guid.NewGuid().ToString();
        var integrationId = host.IntegrationOf(tenant);
        await host.Get<InboundRoutes>().ClaimAsync(integrationId, Guid.NewGuid().ToString(), "2026-01-01T00:00:00.000Z", CancellationToken.None);
        using var client = host.ClientFor(tenant);

        var response = await client.PutAsJsonAsync($"/api/v1/integrations/{integrationId}/inbound-webhook", new { provider = "standard" });

        await ApiAssert.ErrorAsync(response, HttpStatusCode.Conflict, "INBOUND_ENDPOINT_CLAIMED");
        await ApiAssert.ErrorAsync(await client.GetAsync($"/api/v1/integrations/{integrationId}/inbound-webhook"), HttpStatusCode.NotFound,
            "INBOUND_ENDPOINT_NOT_FOUND");
    }
}
