using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Security.Outbound;
using IntegrationSync.Shared.Webhooks;

namespace IntegrationSync.EventConsumer.Webhooks;

public static class WebhookDeliveryRegistration
{
    /// <summary>Outbound webhook delivery: fan-out, the dispatcher, the guarded HTTP client and the poll for due deliveries.</summary>
    public static IServiceCollection AddWebhookDelivery(this IServiceCollection services)
    {
        services.AddWebhookStore();
        services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan).AddOutboundGuard();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<RetryPlan>();
        services.AddSingleton<RegistrationHealth>();
        services.AddSingleton<DeliveryAttempt>();
        services.AddSingleton<DeliveryDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryDispatcher>());
        services.AddSingleton<WebhookFanOut>();
        services.AddHostedService<DuePoller>();
        return services;
    }

    /// <summary>Every lifecycle event a registration can subscribe to (<see cref="WebhookEvents.All"/>), on the webhooks queue.</summary>
    public static ConsumerBuilder AddWebhookSubscriptions(this ConsumerBuilder consumer) => consumer
        .AddSubscription<SyncStarted, WebhookEventHandler<SyncStarted>>()
        .AddSubscription<SyncCompleted, WebhookEventHandler<SyncCompleted>>()
        .AddSubscription<SyncFailed, WebhookEventHandler<SyncFailed>>()
        .AddSubscription<SyncCancelled, WebhookEventHandler<SyncCancelled>>()
        .AddSubscription<ConflictDetected, WebhookEventHandler<ConflictDetected>>()
        .AddSubscription<DataSynced, WebhookEventHandler<DataSynced>>()
        .AddSubscription<TokenRefreshed, WebhookEventHandler<TokenRefreshed>>()
        .AddSubscription<TokenRefreshFailed, WebhookEventHandler<TokenRefreshFailed>>();
}
