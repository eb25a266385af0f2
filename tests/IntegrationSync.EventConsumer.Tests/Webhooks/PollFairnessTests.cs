using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Webhooks;
using IntegrationSync.TestSupport;

namespace IntegrationSync.EventConsumer.Tests.Webhooks;

/// <summary>A replica that holds 5 deliveries in memory at most, 2 waiting per endpoint.</summary>
public sealed class SmallMemoryHost : WebhookHost
{
    protected override IEnumerable<string> ExtraArgs =>
    [
        .. base.ExtraArgs, "--webhooks:delivery:max_queued=5", "--webhooks:delivery:max_queued_per_endpoint=2",
        "--webhooks:delivery:max_concurrent_per_endpoint=2", "--webhooks:delivery:timeout_seconds=30",
    ];
}

public sealed class PollFairnessTests(SmallMemoryHost host) : IClassFixture<SmallMemoryHost>
{
    [Fact]
    public async Task A_dead_endpoints_backlog_of_due_deliveries_never_hides_another_tenants_due_retry()
    {
        var stuckTenant = Guid.NewGuid().ToString();
        var stuck = await host.RegisterAsync(stuckTenant, Guid.NewGuid().ToString(), host.Receiver.NewUrl(), [EventNames.SyncStarted]);
        var release = new TaskCompletionSource();
        host.Receiver.Always(stuck.Url!, new PlannedAnswer(200, HoldUntil: release.Task));
        for (var i = 0; i < 20; i++)
        {
            await SeedDueAsync(stuckTenant, stuck.WebhookId!);
        }
        await host.Receiver.WaitForAsync(stuck.Url!, 2);
        var otherTenant = Guid.NewGuid().ToString();
        var other = await host.RegisterAsync(otherTenant, Guid.NewGuid().ToString(), host.Receiver.NewUrl(), [EventNames.SyncStarted]);

        var retry = await SeedDueAsync(otherTenant, other.WebhookId!);

        try
        {
            Assert.Equal(retry.Id, (await host.Receiver.WaitForAsync(other.Url!, 1)).Single().Id);
            Assert.Equal(2, host.Receiver.At(stuck.Url!).Count);
        }
        finally
        {
            release.SetResult();
        }
    }

    /// <summary>A retry that is due: a pending delivery nobody claims, as a failed attempt leaves it.</summary>
    private Task<WebhookDeliveryDocument> SeedDueAsync(string tenantId, string webhookId)
    {
        var id = WebhookDeliveryDocument.NewId();
        var now = IsoTime.Format(DateTimeOffset.UtcNow.AddSeconds(-1));
        return host.Deliveries.CreateAsync(new WebhookDeliveryDocument
        {
            Id = id, DeliveryId = id, TenantId = tenantId, WebhookId = webhookId, EventType = EventNames.SyncStarted,
            Payload = """{"type":"integration.sync.started","timestamp":"x","data":{}}""", Status = WebhookDeliveryDocument.Pending,
            Attempts = 1, RoundAttempts = 1, NextAttemptAt = now, CreatedAt = now,
        }, CancellationToken.None);
    }
}
