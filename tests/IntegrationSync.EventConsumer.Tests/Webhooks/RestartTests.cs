using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Webhooks;
using IntegrationSync.TestSupport;

namespace IntegrationSync.EventConsumer.Tests.Webhooks;

public sealed class RestartTests(WebhookHost host) : IClassFixture<WebhookHost>
{
    [Fact]
    public async Task A_delivery_pending_when_event_consumer_stops_is_delivered_by_the_next_host_on_the_same_database_and_broker()
    {
        var tenant = Guid.NewGuid().ToString();
        var webhook = await host.RegisterAsync(tenant, Guid.NewGuid().ToString(), host.Receiver.NewUrl(), [EventNames.SyncStarted]);
        host.Receiver.Plan(webhook.Url!, new PlannedAnswer(503, RetryAfterSeconds: 5));

        await host.Fleet.PublishAsync(new SyncStarted("task-1", webhook.IntegrationId!, "inbound"), tenant);
        var first = (await host.Receiver.WaitForAsync(webhook.Url!, 1)).Single();
        await Poll.UntilAsync(() => host.Deliveries.ReadAsync(tenant, first.Id, CancellationToken.None),
            d => d is { Attempts: 1, Status: WebhookDeliveryDocument.Pending }, "the first attempt recorded and a retry scheduled");
        await host.StopConsumerAsync();

        await host.StartConsumerAsync();

        var requests = await host.Receiver.WaitForAsync(webhook.Url!, 2);
        Assert.Equal(first.Id, requests[1].Id);
        Assert.True(requests[1].SignedWith(webhook.Secret!));
        var delivered = await host.WaitForDeliveryAsync(tenant, first.Id, WebhookDeliveryDocument.Succeeded);
        Assert.Equal([503, 200], delivered.AttemptLog!.Select(a => a.StatusCode ?? 0));
    }
}
