using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Storage;
using IntegrationSync.Shared.Webhooks;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.SyncApi.Tests.Webhooks;

public sealed class WebhookTests(ApiHost host) : IClassFixture<ApiHost>
{
    private readonly string _tenant = Guid.NewGuid().ToString();
    private readonly string _integrationId = Guid.NewGuid().ToString();

    [Fact]
    public async Task Creating_a_webhook_generates_a_secret_shown_once_and_never_again()
    {
        using var client = host.ClientFor(_tenant);

        var response = await client.PostAsJsonAsync("/api/v1/webhooks",
            new { integrationId = _integrationId, url = "https://hooks.example.com/sync", events = new[] { "integration.sync.completed" } });

        var created = await ApiAssert.OkAsync(response, HttpStatusCode.Created);
        var id = created["webhookId"]!.GetValue<string>();
        var secret = created["secret"]!.GetValue<string>();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.True(created["active"]!.GetValue<bool>());
        var stored = await host.Get<WebhookRepository>().ReadAsync(_tenant, id, CancellationToken.None);
        Assert.Equal(secret, stored!.Secret);

        var read = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/webhooks/{id}"));
        var listed = await client.GetStringAsync($"/api/v1/integrations/{_integrationId}/webhooks");
        Assert.True(read["hasSecret"]!.GetValue<bool>());
        Assert.DoesNotContain(secret, read.ToJsonString());
        Assert.Contains(id, listed);
        Assert.DoesNotContain(secret, listed);
        Assert.DoesNotContain(read, p => p.Key is "secret" or "id" || p.Key.StartsWith('_'));
    }

    [Fact]
    public async Task A_given_secret_is_kept_and_not_echoed_by_reads()
    {
        using var client = host.ClientFor(_tenant);
        var secret = "my-own-signing-secret-0123456789";

        var created = await ApiAssert.OkAsync(await client.PostAsJsonAsync("/api/v1/webhooks",
            new { integrationId = _integrationId, url = "https://hooks.example.com/a", events = new[] { "integration.sync.failed" }, secret }), HttpStatusCode.Created);

        Assert.Equal(secret, created["secret"]!.GetValue<string>());
        var read = await client.GetStringAsync($"/api/v1/webhooks/{created["webhookId"]}");
        Assert.DoesNotContain(secret, read);
    }

    [Fact]
    public async Task Put_changes_the_known_fields_and_rejects_any_other()
    {
        using var client = host.ClientFor(_tenant);
        var id = await CreateAsync(client);

        var updated = await ApiAssert.OkAsync(await client.PutAsJsonAsync($"/api/v1/webhooks/{id}",
            new { url = "https://hooks.example.com/v2", events = new[] { "integration.sync.started", "integration.conflict.detected" }, active = false }));
        var refused = await client.PutAsync($"/api/v1/webhooks/{id}",
            new StringContent("""{"active":true,"tenantId":"someone-else"}""", Encoding.UTF8, "application/json"));

        Assert.Equal("https://hooks.example.com/v2", updated["url"]!.GetValue<string>());
        Assert.False(updated["active"]!.GetValue<bool>());
        Assert.Equal(["integration.sync.started", "integration.conflict.detected"], updated["events"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Contains("tenantId", ApiAssert.Fields(await ApiAssert.ErrorAsync(refused, HttpStatusCode.BadRequest, "VALIDATION_ERROR")));
        var stored = await host.Get<WebhookRepository>().ReadAsync(_tenant, id, CancellationToken.None);
        Assert.Equal((false, _tenant), (stored!.Active!.Value, stored.TenantId));
    }

    [Fact]
    public async Task Delete_removes_the_registration_and_a_second_delete_is_a_404()
    {
        using var client = host.ClientFor(_tenant);
        var id = await CreateAsync(client);

        var deleted = await client.DeleteAsync($"/api/v1/webhooks/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ApiAssert.ErrorAsync(await client.GetAsync($"/api/v1/webhooks/{id}"), HttpStatusCode.NotFound, "WEBHOOK_NOT_FOUND");
        await ApiAssert.ErrorAsync(await client.DeleteAsync($"/api/v1/webhooks/{id}"), HttpStatusCode.NotFound, "WEBHOOK_NOT_FOUND");
        await ApiAssert.ErrorAsync(await client.PutAsJsonAsync($"/api/v1/webhooks/{id}", new { active = true }), HttpStatusCode.NotFound, "WEBHOOK_NOT_FOUND");
    }

    [Fact]
    public async Task The_webhooks_of_an_integration_include_registrations_written_by_integration_manager()
    {
        using var client = host.ClientFor(_tenant);
        var integrationId = Guid.NewGuid().ToString();
        var ours = await CreateAsync(client, integrationId);
        await CreateAsync(client);
        var foreignId = Guid.NewGuid().ToString();
        await host.Get<CosmosContainers>().Webhooks.CreateItemAsync(new JsonObject
        {
            ["id"] = foreignId, ["tenantId"] = _tenant, ["integrationId"] = integrationId, ["providerName"] = "hubspot",
            ["webhookUrl"] = "https://im.example.com/hook", ["webhookSecret"] = "s3cr3t", ["events"] = new JsonArray("contact.created"),
            ["isActive"] = true, ["createdBy"] = "someone",
        }, new PartitionKey(_tenant));

        var response = await client.GetAsync($"/api/v1/integrations/{integrationId}/webhooks");
        var list = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        var foreign = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/webhooks/{foreignId}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new[] { foreignId, ours }.Order(), list.Select(w => w!["webhookId"]!.GetValue<string>()).Order());
        Assert.Equal("https://im.example.com/hook", foreign["url"]!.GetValue<string>());
        Assert.True(foreign["active"]!.GetValue<bool>());
        Assert.True(foreign["hasSecret"]!.GetValue<bool>());
        Assert.DoesNotContain("s3cr3t", list.ToJsonString() + foreign.ToJsonString());

        var updated = await ApiAssert.OkAsync(await client.PutAsJsonAsync($"/api/v1/webhooks/{foreignId}", new { active = false }));
        var stored = await host.Get<WebhookRepository>().ReadAsync(_tenant, foreignId, CancellationToken.None);
        Assert.Equal(("https://im.example.com/hook", false, true), (updated["url"]!.GetValue<string>(), updated["active"]!.GetValue<bool>(),
            updated["hasSecret"]!.GetValue<bool>()));
        Assert.Equal("s3cr3t", stored!.EffectiveSecret);
    }

    [Theory]
    [InlineData("""{"url":"https://h.example.com","events":["integration.sync.completed"]}""", "integrationId")]
    [InlineData("""{"integrationId":"INT","events":["integration.sync.completed"]}""", "url")]
    [InlineData("""{"integrationId":"INT","url":"http://h.example.com","events":["integration.sync.completed"]}""", "url")]
    [InlineData("""{"integrationId":"INT","url":"/relative","events":["integration.sync.completed"]}""", "url")]
    [InlineData("""{"integrationId":"INT","url":"ftp://h.example.com","events":["integration.sync.completed"]}""", "url")]
    [InlineData("""{"integrationId":"INT","url":"https://h.example.com"}""", "events")]
    [InlineData("""{"integrationId":"INT","url":"https://h.example.com","events":[]}""", "events")]
    [InlineData("""{"integrationId":"INT","url":"https://h.example.com","events":["sync.done"]}""", "events")]
    [InlineData("""{"integrationId":"INT","url":"https://h.example.com","events":"integration.sync.completed"}""", "events")]
    [InlineData("""{"integrationId":"INT","url":"https://h.example.com","events":["integration.sync.completed"],"secret":"short"}""", "secret")]
    [InlineData("""{"integrationId":"INT","url":"https://h.example.com","events":["integration.sync.completed"],"active":"yes"}""", "active")]
    [InlineData("""{"integrationId":"INT","url":"https://h.example.com","events":["integration.sync.completed"],"webhookUrl":"x"}""", "webhookUrl")]
    public async Task A_bad_webhook_is_a_400_naming_the_field(string body, string field)
    {
        using var client = host.ClientFor(_tenant);

        var response = await client.PostAsync("/api/v1/webhooks", new StringContent(body.Replace("INT", _integrationId), Encoding.UTF8, "application/json"));

        Assert.Contains(field, ApiAssert.Fields(await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "VALIDATION_ERROR")));
    }

    [Theory]
    [InlineData("""{}""", "body")]
    [InlineData("""{"url":"http://h.example.com"}""", "url")]
    [InlineData("""{"events":["nope"]}""", "events")]
    [InlineData("""{"secret":""}""", "secret")]
    [InlineData("""{"integrationId":"5f2b6a1e-8c3d-4e7f-9a10-2b3c4d5e6f70"}""", "integrationId")]
    public async Task A_bad_update_is_a_400_naming_the_field(string body, string field)
    {
        using var client = host.ClientFor(_tenant);
        var id = await CreateAsync(client);

        var response = await client.PutAsync($"/api/v1/webhooks/{id}", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Contains(field, ApiAssert.Fields(await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "VALIDATION_ERROR")));
    }

    [Fact]
    public async Task Listing_the_webhooks_of_a_malformed_integration_id_is_a_400()
    {
        using var client = host.ClientFor(_tenant);

        await ApiAssert.ErrorAsync(await client.GetAsync("/api/v1/integrations/not-a-uuid/webhooks"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    private async Task<string> CreateAsync(HttpClient client, string? integrationId = null)
    {
        var created = await ApiAssert.OkAsync(await client.PostAsJsonAsync("/api/v1/webhooks",
            new { integrationId = integrationId ?? _integrationId, url = "https://hooks.example.com/x", events = new[] { "integration.sync.completed" } }),
            HttpStatusCode.Created);
        return created["webhookId"]!.GetValue<string>();
    }
}
