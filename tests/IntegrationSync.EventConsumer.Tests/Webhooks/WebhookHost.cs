using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Sync;
using IntegrationSync.Shared.Webhooks;
using IntegrationSync.TestSupport;
using Microsoft.AspNetCore.Builder;

namespace IntegrationSync.EventConsumer.Tests.Webhooks;

/// <summary>
/// A real event-consumer host (its own Program) on a broker exchange and Cosmos database of its own, a receiver for the
/// tenants' endpoints on loopback (allowed through the outbound guard's allow-list, as the tests' only targets), and a
/// publisher standing in for the fleet's lifecycle events. Retries are fast: 1 s waits, no jitter.
/// </summary>
public class WebhookHost : IAsyncLifetime
{
    public string Exchange { get; } = TestInfrastructure.UniqueName("hooks");
    public CosmosTestDatabase Database { get; } = CosmosTestDatabase.Named(TestInfrastructure.UniqueName("hooksdb"));
    public WebhookReceiver Receiver { get; private set; } = null!;
    public TestPublisher Fleet { get; private set; } = null!;
    public WebApplication Consumer { get; private set; } = null!;
    public string RabbitMqUrl { get; private set; } = "";

    public WebhookRepository Webhooks => new(Database.Containers);
    public WebhookDeliveryRepository Deliveries => new(Database.Containers);

    protected virtual IEnumerable<string> ExtraArgs =>
    [
        "--outbound:allowed_networks:0=127.0.0.0/8", "--webhooks:allow_http=true",
        "--webhooks:delivery:retry_schedule_seconds:0=1", "--webhooks:delivery:retry_schedule_seconds:1=1",
        "--webhooks:delivery:max_attempts=3", "--webhooks:delivery:retry_jitter_percent=0", "--webhooks:delivery:poll_interval_ms=200",
        "--webhooks:delivery:timeout_seconds=2", "--webhooks:delivery:disable_after_failures=2",
    ];

    public virtual async Task InitializeAsync()
    {
        RabbitMqUrl = await TestInfrastructure.RabbitMqUrlAsync();
        await Database.InitializeAsync();
        Receiver = await WebhookReceiver.StartAsync();
        Fleet = new TestPublisher(RabbitMqUrl, Exchange, "sync-runner");
        await StartConsumerAsync();
    }

    public async Task StartConsumerAsync() =>
        (Consumer, _) = await TestHost.StartAsync(IntegrationSync.EventConsumer.Program.Build,
            TestHost.Args(RabbitMqUrl, Exchange, Database.Options.DatabaseId, ExtraArgs));

    public async Task StopConsumerAsync()
    {
        await Consumer.StopAsync();
        await Consumer.DisposeAsync();
    }

    /// <summary>A registration of <paramref name="tenantId"/> written as the API writes it.</summary>
    public async Task<WebhookDocument> RegisterAsync(
        string tenantId, string integrationId, string url, IEnumerable<string> events, string? secret = null, List<RetiredSecret>? previous = null)
    {
        var id = Guid.NewGuid().ToString();
        var now = IsoTime.Format(DateTimeOffset.UtcNow);
        return await Webhooks.CreateAsync(new WebhookDocument
        {
            Id = id, WebhookId = id, TenantId = tenantId, IntegrationId = integrationId, Url = url, Events = [.. events],
            Secret = secret ?? WebhookSecrets.Generate(), PreviousSecrets = previous, Active = true, CreatedAt = now, UpdatedAt = now,
        }, CancellationToken.None);
    }

    public async Task<SyncTaskDocument> TaskAsync(string tenantId, string integrationId)
    {
        var id = Guid.NewGuid().ToString();
        var now = IsoTime.Format(DateTimeOffset.UtcNow);
        return await new SyncTaskRepository(Database.Containers).CreateAsync(new SyncTaskDocument
        {
            Id = id, TaskId = id, TenantId = tenantId, IntegrationId = integrationId, Direction = SyncDirection.Inbound, Status = SyncStatus.Completed,
            CreatedAt = now, UpdatedAt = now,
        }, CancellationToken.None);
    }

    public async Task<WebhookDeliveryDocument> WaitForDeliveryAsync(string tenantId, string deliveryId, string status) =>
        (await Poll.UntilAsync(() => Deliveries.ReadAsync(tenantId, deliveryId, CancellationToken.None), d => d?.Status == status,
            $"delivery {deliveryId} to become {status}"))!;

    public async Task<WebhookDocument> WaitForRegistrationAsync(string tenantId, string webhookId, Func<WebhookDocument, bool> condition) =>
        (await Poll.UntilAsync(() => Webhooks.ReadAsync(tenantId, webhookId, CancellationToken.None), w => w is not null && condition(w),
            $"registration {webhookId}"))!;

    public virtual async Task DisposeAsync()
    {
        await StopConsumerAsync();
        await Fleet.DisposeAsync();
        await Receiver.DisposeAsync();
        await Database.DisposeAsync();
    }
}
