using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Storage;
using IntegrationSync.Shared.Sync;
using IntegrationSync.Shared.Webhooks;
using IntegrationSync.SyncApi.Inbound;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.SyncApi.Tests.Security;

/// <summary>
/// One tenant's objects in states the newer routes refuse: a final or processing task, a disabled webhook, a delivery
/// of another registration, a continuation token of another registration's log, an inbound endpoint another tenant claimed.
/// </summary>
public sealed class TargetStateFixture : ApiHost
{
    public string Tenant { get; } = Guid.NewGuid().ToString();
    public string Rival { get; } = Guid.NewGuid().ToString();
    public Dictionary<string, string> Ids { get; } = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        foreach (var status in new[] { SyncStatus.Completed, SyncStatus.Failed, SyncStatus.Cancelled, SyncStatus.Processing })
        {
            Ids[status] = (await Seed.TaskAsync(this, Tenant, status)).Id;
        }
        using var client = ClientFor(Tenant);
        Ids["webhook"] = await CreateWebhookAsync(client);
        Ids["other-webhook"] = await CreateWebhookAsync(client);
        Ids["disabled-webhook"] = await CreateWebhookAsync(client);
        Ids["delivery"] = await PingAsync(client, Ids["webhook"]);
        Ids["other-delivery"] = await PingAsync(client, Ids["other-webhook"]);
        await PingAsync(client, Ids["other-webhook"]);
        Ids["disabled-delivery"] = await PingAsync(client, Ids["disabled-webhook"]);
        (await client.PutAsJsonAsync($"/api/v1/webhooks/{Ids["disabled-webhook"]}", new { active = false })).EnsureSuccessStatusCode();
        var page = await client.GetFromJsonAsync<JsonObject>($"/api/v1/webhooks/{Ids["other-webhook"]}/deliveries?limit=1");
        Ids["other-token"] = Uri.EscapeDataString(page!["continuationToken"]!.GetValue<string>());

        // The rival set the integration's endpoint up first; integration-manager now says it is this tenant's.
        Ids["claimed"] = IntegrationOf(Rival);
        using var rival = ClientFor(Rival);
        (await rival.PutAsJsonAsync($"/api/v1/integrations/{Ids["claimed"]}/inbound-webhook", new { provider = "standard" })).EnsureSuccessStatusCode();
        IntegrationManager.Integrations[Ids["claimed"]]["tenantId"] = Tenant;
    }

    private static async Task<string> CreateWebhookAsync(HttpClient client)
    {
        var created = await ApiAssert.OkAsync(await client.PostAsJsonAsync("/api/v1/webhooks",
            new { integrationId = Guid.NewGuid().ToString(), url = "https://hooks.example.com/in", events = new[] { "integration.sync.completed" } }),
            HttpStatusCode.Created);
        return created["webhookId"]!.GetValue<string>();
    }

    private static async Task<string> PingAsync(HttpClient client, string webhookId) =>
        (await ApiAssert.OkAsync(await client.PostAsync($"/api/v1/webhooks/{webhookId}/ping", null), HttpStatusCode.Accepted))["deliveryId"]!.GetValue<string>();
}

public sealed class TargetStateTableTests(TargetStateFixture f) : IClassFixture<TargetStateFixture>
{
    [Theory]
    [InlineData("POST", "/api/v1/sync/tasks/{completed}/pause", null, 409, "TASK_NOT_PAUSABLE", null)]
    [InlineData("POST", "/api/v1/sync/tasks/{failed}/pause", null, 409, "TASK_NOT_PAUSABLE", null)]
    [InlineData("POST", "/api/v1/sync/tasks/{cancelled}/pause", null, 409, "TASK_NOT_PAUSABLE", null)]
    [InlineData("POST", "/api/v1/sync/tasks/{processing}/pause", null, 409, "TASK_NOT_PAUSABLE", null)]
    [InlineData("POST", "/api/v1/sync/tasks/{completed}/resume", null, 409, "TASK_NOT_PAUSED", null)]
    [InlineData("POST", "/api/v1/sync/tasks/{cancelled}/resume", null, 409, "TASK_NOT_PAUSED", null)]
    [InlineData("POST", "/api/v1/sync/tasks/{processing}/resume", null, 409, "TASK_NOT_PAUSED", null)]
    [InlineData("POST", "/api/v1/webhooks/{disabled-webhook}/deliveries/{disabled-delivery}/redeliver", null, 409, "WEBHOOK_DISABLED", null)]
    [InlineData("POST", "/api/v1/webhooks/{webhook}/deliveries/{other-delivery}/redeliver", null, 404, "DELIVERY_NOT_FOUND", null)]
    [InlineData("POST", "/api/v1/webhooks/{webhook}/deliveries/{uuid}/redeliver", null, 404, "DELIVERY_NOT_FOUND", null)]
    [InlineData("GET", "/api/v1/webhooks/{webhook}/deliveries?limit=1&continuationToken={other-token}", null, 400, "VALIDATION_ERROR", "continuationToken")]
    [InlineData("GET", "/api/v1/webhooks/{other-webhook}/deliveries?limit=1&status=pending&continuationToken={other-token}", null, 400, "VALIDATION_ERROR", "continuationToken")]
    [InlineData("PUT", "/api/v1/integrations/{claimed}/inbound-webhook", """{"provider":"standard"}""", 409, "INBOUND_ENDPOINT_CLAIMED", null)]
    public async Task A_request_its_targets_state_refuses_is_a_4xx_and_changes_nothing(
        string method, string path, string? body, int status, string code, string? field)
    {
        using var client = f.ClientFor(f.Tenant);
        var request = new HttpRequestMessage(new HttpMethod(method), f.Ids.Aggregate(path.Replace("{uuid}", Guid.NewGuid().ToString()),
            (p, id) => p.Replace($"{{{id.Key}}}", id.Value, StringComparison.Ordinal)));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        var before = await StoredAsync();

        var error = await ApiAssert.ErrorAsync(await client.SendAsync(request), (HttpStatusCode)status, code);

        if (field is not null)
        {
            Assert.Contains(field, ApiAssert.Fields(error));
        }
        Assert.Equal(before, await StoredAsync());
    }

    /// <summary>Every document of both tenants and of the inbound routes, with its ETag.</summary>
    private async Task<List<string>> StoredAsync()
    {
        var containers = f.Get<CosmosContainers>();
        var found = new List<string>();
        foreach (var partition in new[] { f.Tenant, f.Rival, InboundRouteDocument.Partition })
        {
            foreach (var container in new[] { containers.SyncTasks, containers.Executions, containers.Webhooks, containers.WebhookDeliveries, containers.SyncState })
            {
                using var iterator = container.GetItemQueryIterator<Stored>(new QueryDefinition("SELECT c.id, c._etag AS etag FROM c"),
                    requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(partition) });
                while (iterator.HasMoreResults)
                {
                    found.AddRange((await iterator.ReadNextAsync()).Select(d => $"{container.Id}/{d.Id}@{d.Etag}"));
                }
            }
        }
        return [.. found.Order(StringComparer.Ordinal)];
    }

    private sealed record Stored(string Id, string Etag);
}
