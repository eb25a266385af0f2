using System.Net;
using System.Net.Http.Json;
using System.Text;
using IntegrationSync.Shared.Conflicts;
using IntegrationSync.Shared.Sync;
using IntegrationSync.Shared.Webhooks;
using IntegrationSync.SyncApi.Inbound;

namespace IntegrationSync.SyncApi.Tests.Security;

/// <summary>Tenant A's objects, seen from tenant B: every read, write and list is a 404 or leaves them out.</summary>
public sealed class CrossTenantFixture : ApiHost
{
    public string TenantA { get; } = Guid.NewGuid().ToString();
    public string TenantB { get; } = Guid.NewGuid().ToString();
    public string IntegrationId { get; } = Guid.NewGuid().ToString();
    public SyncTaskDocument PendingTask { get; private set; } = null!;
    public SyncTaskDocument RunningTask { get; private set; } = null!;
    public ExecutionDocument Execution { get; private set; } = null!;
    public ConflictDocument Conflict { get; private set; } = null!;
    public WebhookDocument Webhook { get; private set; } = null!;
    public WebhookDeliveryDocument Delivery { get; private set; } = null!;
    public string InboundIntegrationId { get; private set; } = null!;
    public InboundEndpointDocument Inbound { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        PendingTask = await Seed.TaskAsync(this, TenantA, SyncStatus.Pending, IntegrationId);
        RunningTask = await Seed.TaskAsync(this, TenantA, SyncStatus.Running, IntegrationId);
        Execution = await Seed.ExecutionAsync(this, TenantA, RunningTask.Id, DateTimeOffset.UtcNow);
        Conflict = await Seed.ConflictAsync(this, TenantA, IntegrationId);
        using var a = ClientFor(TenantA);
        var created = await a.PostAsJsonAsync("/api/v1/webhooks",
            new { integrationId = IntegrationId, url = "https://a.example.com/hook", events = new[] { "integration.sync.completed" } });
        var webhookId = (await created.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["webhookId"]!.GetValue<string>();
        Webhook = (await Get<WebhookRepository>().ReadAsync(TenantA, webhookId, CancellationToken.None))!;
        var ping = await (await a.PostAsync($"/api/v1/webhooks/{webhookId}/ping", null)).Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>();
        Delivery = (await Get<WebhookDeliveryRepository>().ReadAsync(TenantA, ping!["deliveryId"]!.GetValue<string>(), CancellationToken.None))!;
        InboundIntegrationId = IntegrationOf(TenantA);
        (await a.PutAsJsonAsync($"/api/v1/integrations/{InboundIntegrationId}/inbound-webhook", new { provider = "standard" })).EnsureSuccessStatusCode();
        Inbound = (await Get<InboundEndpoints>().ReadAsync(TenantA, InboundEndpointDocument.IdFor(InboundIntegrationId), CancellationToken.None))!;
    }
}

public sealed class CrossTenantTests(CrossTenantFixture f) : IClassFixture<CrossTenantFixture>
{
    [Theory]
    [InlineData("GET", "/api/v1/sync/tasks/{pending}", null, "TASK_NOT_FOUND")]
    [InlineData("POST", "/api/v1/sync/tasks/{pending}/cancel", null, "TASK_NOT_FOUND")]
    [InlineData("POST", "/api/v1/sync/tasks/{running}/cancel", null, "TASK_NOT_FOUND")]
    [InlineData("GET", "/api/v1/sync/tasks/{running}/executions", null, "TASK_NOT_FOUND")]
    [InlineData("GET", "/api/v1/sync/executions/{execution}", null, "EXECUTION_NOT_FOUND")]
    [InlineData("GET", "/api/v1/sync/conflicts/{conflict}", null, "CONFLICT_NOT_FOUND")]
    [InlineData("POST", "/api/v1/sync/conflicts/{conflict}/resolve", """{"resolution":"source_wins"}""", "CONFLICT_NOT_FOUND")]
    [InlineData("GET", "/api/v1/webhooks/{webhook}", null, "WEBHOOK_NOT_FOUND")]
    [InlineData("PUT", "/api/v1/webhooks/{webhook}", """{"active":false}""", "WEBHOOK_NOT_FOUND")]
    [InlineData("DELETE", "/api/v1/webhooks/{webhook}", null, "WEBHOOK_NOT_FOUND")]
    [InlineData("POST", "/api/v1/sync/tasks/{pending}/pause", null, "TASK_NOT_FOUND")]
    [InlineData("POST", "/api/v1/sync/tasks/{running}/pause", null, "TASK_NOT_FOUND")]
    [InlineData("POST", "/api/v1/sync/tasks/{pending}/resume", null, "TASK_NOT_FOUND")]
    [InlineData("POST", "/api/v1/webhooks/{webhook}/rotate-secret", null, "WEBHOOK_NOT_FOUND")]
    [InlineData("GET", "/api/v1/webhooks/{webhook}/deliveries", null, "WEBHOOK_NOT_FOUND")]
    [InlineData("GET", "/api/v1/webhooks/{webhook}/deliveries?status=pending", null, "WEBHOOK_NOT_FOUND")]
    [InlineData("POST", "/api/v1/webhooks/{webhook}/deliveries/{delivery}/redeliver", null, "WEBHOOK_NOT_FOUND")]
    [InlineData("POST", "/api/v1/webhooks/{webhook}/ping", null, "WEBHOOK_NOT_FOUND")]
    [InlineData("PUT", "/api/v1/integrations/{inbound}/inbound-webhook", """{"provider":"standard"}""", "INTEGRATION_NOT_FOUND")]
    [InlineData("GET", "/api/v1/integrations/{inbound}/inbound-webhook", null, "INBOUND_ENDPOINT_NOT_FOUND")]
    [InlineData("DELETE", "/api/v1/integrations/{inbound}/inbound-webhook", null, "INBOUND_ENDPOINT_NOT_FOUND")]
    public async Task Another_tenants_object_is_a_404_and_stays_unchanged(string method, string path, string? body, string code)
    {
        using var b = f.ClientFor(f.TenantB);
        var request = new HttpRequestMessage(new HttpMethod(method), path
            .Replace("{pending}", f.PendingTask.Id).Replace("{running}", f.RunningTask.Id).Replace("{execution}", f.Execution.Id)
            .Replace("{conflict}", f.Conflict.Id).Replace("{webhook}", f.Webhook.Id).Replace("{delivery}", f.Delivery.Id)
            .Replace("{inbound}", f.InboundIntegrationId));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        await ApiAssert.ErrorAsync(await b.SendAsync(request), HttpStatusCode.NotFound, code);

        Assert.Equal(f.PendingTask.ETag, (await f.Get<SyncTaskRepository>().ReadAsync(f.TenantA, f.PendingTask.Id, CancellationToken.None))!.ETag);
        Assert.Equal(f.RunningTask.ETag, (await f.Get<SyncTaskRepository>().ReadAsync(f.TenantA, f.RunningTask.Id, CancellationToken.None))!.ETag);
        Assert.Equal(f.Conflict.ETag, (await f.Get<ConflictRepository>().ReadAsync(f.TenantA, f.Conflict.Id, CancellationToken.None))!.ETag);
        Assert.Equal(f.Webhook.ETag, (await f.Get<WebhookRepository>().ReadAsync(f.TenantA, f.Webhook.Id, CancellationToken.None))!.ETag);
        Assert.Equal(f.Delivery.ETag, (await f.Get<WebhookDeliveryRepository>().ReadAsync(f.TenantA, f.Delivery.Id, CancellationToken.None))!.ETag);
        Assert.Equal(f.Inbound.ETag, (await f.Get<InboundEndpoints>().ReadAsync(f.TenantA, f.Inbound.Id, CancellationToken.None))!.ETag);
    }

    [Theory]
    [InlineData("/api/v1/sync/tasks?limit=100")]
    [InlineData("/api/v1/sync/tasks?integrationId={integration}")]
    [InlineData("/api/v1/sync/conflicts?limit=100")]
    [InlineData("/api/v1/sync/conflicts?integrationId={integration}")]
    [InlineData("/api/v1/integrations/{integration}/webhooks")]
    public async Task Another_tenants_objects_never_appear_in_a_list(string path)
    {
        using var a = f.ClientFor(f.TenantA);
        using var b = f.ClientFor(f.TenantB);
        path = path.Replace("{integration}", f.IntegrationId);

        var own = await a.GetStringAsync(path);
        var other = await b.GetStringAsync(path);

        var ids = new[] { f.PendingTask.Id, f.RunningTask.Id, f.Conflict.Id, f.Webhook.Id };
        Assert.Contains(ids, own.Contains);
        Assert.DoesNotContain(ids, other.Contains);
        Assert.DoesNotContain(f.TenantA, other);
    }
}
