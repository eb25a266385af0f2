using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.TestSupport;

namespace IntegrationSync.EventConsumer.Tests.Webhooks;

/// <summary>A replica with few attempt slots: 4 in all, 2 per tenant, 2 per endpoint, and a timeout longer than the test waits.</summary>
public sealed class FewSlotsHost : WebhookHost
{
    protected override IEnumerable<string> ExtraArgs =>
    [
        .. base.ExtraArgs, "--webhooks:delivery:max_concurrent=4", "--webhooks:delivery:max_concurrent_per_tenant=2",
        "--webhooks:delivery:max_concurrent_per_endpoint=2", "--webhooks:delivery:timeout_seconds=30",
    ];
}

public sealed class IsolationTests(FewSlotsHost host) : IClassFixture<FewSlotsHost>
{
    [Fact]
    public async Task An_endpoint_that_never_answers_does_not_hold_up_another_tenants_deliveries()
    {
        var stuckTenant = Guid.NewGuid().ToString();
        var stuckIntegration = Guid.NewGuid().ToString();
        var stuck = await host.RegisterAsync(stuckTenant, stuckIntegration, host.Receiver.NewUrl(), [EventNames.SyncStarted]);
        var stuckToo = await host.RegisterAsync(stuckTenant, stuckIntegration, host.Receiver.NewUrl(), [EventNames.SyncStarted]);
        var release = new TaskCompletionSource();
        host.Receiver.Always(stuck.Url!, new PlannedAnswer(200, HoldUntil: release.Task));
        host.Receiver.Always(stuckToo.Url!, new PlannedAnswer(200, HoldUntil: release.Task));
        for (var i = 0; i < 10; i++)
        {
            await host.Fleet.PublishAsync(new SyncStarted($"task-{i}", stuckIntegration, "inbound"), stuckTenant);
        }
        // The stuck tenant now holds all it may: 2 attempts in flight, the rest waiting in its lanes.
        await host.Receiver.WaitForAsync(stuck.Url!, 1);

        var otherTenant = Guid.NewGuid().ToString();
        var other = await host.RegisterAsync(otherTenant, Guid.NewGuid().ToString(), host.Receiver.NewUrl(), [EventNames.SyncStarted]);
        await host.Fleet.PublishAsync(new SyncStarted("task-x", other.IntegrationId!, "inbound"), otherTenant);

        try
        {
            // Would time out if the other tenant's delivery queued behind the stuck endpoint.
            var delivered = await host.Receiver.WaitForAsync(other.Url!, 1);
            Assert.True(delivered.Single().SignedWith(other.Secret!));
            Assert.InRange(host.Receiver.At(stuck.Url!).Count + host.Receiver.At(stuckToo.Url!).Count, 1, 2);
        }
        finally
        {
            release.SetResult();
        }
    }
}
