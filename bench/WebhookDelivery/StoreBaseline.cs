using System.Diagnostics;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Storage;
using IntegrationSync.Shared.Webhooks;

namespace IntegrationSync.Bench.WebhookDelivery;

/// <summary>
/// The ceiling the store puts on delivery: per delivery, the registrations query of its event, the delivery's creation
/// and the replace that records its outcome, as the fan-out and the attempt make them, with no broker and no HTTP.
/// </summary>
public static class StoreBaseline
{
    public static async Task<double> RunAsync(CosmosContainers containers, IReadOnlyList<string> tenants, int count)
    {
        var webhooks = new WebhookRepository(containers);
        var deliveries = new WebhookDeliveryRepository(containers);
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 64).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var tenant = tenants[i % tenants.Count];
                await webhooks.SubscribedAsync(tenant, Guid.NewGuid().ToString(), EventNames.SyncStarted, CancellationToken.None);
                var id = WebhookDeliveryDocument.NewId();
                var now = IsoTime.Format(DateTimeOffset.UtcNow);
                var created = await deliveries.CreateAsync(new WebhookDeliveryDocument
                {
                    Id = id, DeliveryId = id, TenantId = tenant, WebhookId = "baseline", EventType = EventNames.SyncStarted, Payload = "{}",
                    Status = WebhookDeliveryDocument.Pending, NextAttemptAt = now, CreatedAt = now,
                }, CancellationToken.None);
                await deliveries.TryReplaceAsync(created with { Status = WebhookDeliveryDocument.Succeeded, Attempts = 1 }, CancellationToken.None);
            }
        }));
        return count / clock.Elapsed.TotalSeconds;
    }
}
