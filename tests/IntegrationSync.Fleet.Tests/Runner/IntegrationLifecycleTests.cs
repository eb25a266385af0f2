using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Sync;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.SyncRunner.Execution;
using IntegrationSync.SyncRunner.Intake;
using IntegrationSync.TestSupport;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.Fleet.Tests.Runner;

/// <summary>integration-manager's integration.deleted and integration.updated, as it publishes them, to a fleet mid-sync.</summary>
public sealed class IntegrationLifecycleTests(HandoverFleet fleet) : IClassFixture<HandoverFleet>
{
    [Fact]
    public async Task A_deleted_integration_has_its_running_sync_stopped_its_triggers_dropped_its_webhooks_disabled_and_its_state_expiring()
    {
        var integrationId = await fleet.AddSampleIntegrationAsync(count: 20_000, pageSize: 100, pageDelayMs: 150);
        var taskId = await fleet.TriggerAsync(integrationId);
        await fleet.WaitForExecutionAsync(taskId, e => e.RecordsPublished >= 200);
        var webhookId = await RegisterWebhookAsync(integrationId);
        var deferred = new DeferredTriggers(fleet.Database.Containers);
        await deferred.DeferAsync(new DeferredTriggerDocument
        {
            Id = DeferredTriggerDocument.IdFor(integrationId, "opportunity"), TenantId = fleet.TenantId, IntegrationId = integrationId,
            EntityType = "opportunity", RequestedBy = "webhook", DueAt = IsoTime.Format(DateTimeOffset.UtcNow.AddHours(1)),
        }, CancellationToken.None);
        var cursorId = IntegrationCursorDocument.IdFor(integrationId, "opportunity");
        await new IntegrationCursors(fleet.Database.Containers, TimeProvider.System).CreateAsync(
            new IntegrationCursorDocument { Id = cursorId, TenantId = fleet.TenantId, Cursor = "page-7" }, CancellationToken.None);
        var recordId = SyncRecordDocument.IdFor(fleet.TenantId, integrationId, "opportunity", "006-1");
        await new SyncRecordRepository(fleet.Database.Containers).CreateAsync(
            new SyncRecordDocument { Id = recordId, TenantId = fleet.TenantId, IntegrationId = integrationId, EntityType = "opportunity" },
            CancellationToken.None);
        await using var manager = new TestPublisher(fleet.RabbitMqUrl, fleet.Exchange, "integration-manager");

        await manager.PublishAsync(new IntegrationDeleted(integrationId, fleet.TenantId), fleet.TenantId);

        await fleet.WaitForTaskAsync(taskId, SyncStatus.Cancelled, FleetRuns.Wait);
        Assert.InRange((await fleet.ExecutionAsync(taskId)).RecordsPublished, 200, 19_999);
        var webhook = await fleet.Api.GetFromJsonAsync<JsonObject>($"/api/v1/webhooks/{webhookId}");
        Assert.False(webhook!["active"]!.GetValue<bool>());
        Assert.Empty(await deferred.ForIntegrationAsync(fleet.TenantId, integrationId, CancellationToken.None));
        var cursor = (await fleet.Database.Containers.SyncState.ReadItemAsync<JsonObject>(cursorId, new PartitionKey(fleet.TenantId))).Resource;
        Assert.Equal(30 * 86_400, cursor["ttl"]!.GetValue<int>());
        Assert.Equal("page-7", cursor["cursor"]!.GetValue<string>());
        var record = (await fleet.Database.Containers.SyncRecords.ReadItemAsync<JsonObject>(recordId, new PartitionKey(recordId))).Resource;
        Assert.Equal(30 * 86_400, record["ttl"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_integration_updated_to_disabled_has_its_running_sync_stopped_and_another_update_changes_nothing()
    {
        var kept = await fleet.AddSampleIntegrationAsync(count: 300, pageSize: 100, pageDelayMs: 150);
        var disabled = await fleet.AddSampleIntegrationAsync(count: 20_000, pageSize: 100, pageDelayMs: 150);
        var keptTask = await fleet.TriggerAsync(kept);
        var disabledTask = await fleet.TriggerAsync(disabled);
        await fleet.WaitForExecutionAsync(disabledTask, e => e.RecordsPublished >= 200);
        await SetStatusAsync(disabled, "disabled");
        await using var manager = new TestPublisher(fleet.RabbitMqUrl, fleet.Exchange, "integration-manager");

        await manager.PublishAsync(new IntegrationUpdated(kept, fleet.TenantId, IsoTime.Format(DateTimeOffset.UtcNow)), fleet.TenantId);
        await manager.PublishAsync(new IntegrationUpdated(disabled, fleet.TenantId, IsoTime.Format(DateTimeOffset.UtcNow)), fleet.TenantId);

        await fleet.WaitForTaskAsync(disabledTask, SyncStatus.Cancelled, FleetRuns.Wait);
        await fleet.WaitForTaskAsync(keptTask, SyncStatus.Completed, FleetRuns.Wait);
        Assert.Equal(300, (await fleet.ExecutionAsync(keptTask)).RecordsProcessed);
    }

    private async Task<string> RegisterWebhookAsync(string integrationId)
    {
        // Subscribed to an event this test never causes, so no delivery is attempted to the (never contacted) host.
        var created = await fleet.Api.PostAsJsonAsync("/api/v1/webhooks",
            new { integrationId, url = "https://hooks.example.com/castiel", events = new[] { "integration.conflict.detected" } });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonObject>())!["webhookId"]!.GetValue<string>();
    }

    private async Task SetStatusAsync(string integrationId, string status)
    {
        var integration = (await fleet.Peers.GetFromJsonAsync<JsonObject>($"/_peers/integrations/{integrationId}"))!;
        integration["status"] = status;
        (await fleet.Peers.PutAsJsonAsync($"/_peers/integrations/{integrationId}", integration)).EnsureSuccessStatusCode();
    }
}
