using IntegrationSync.Shared.Webhooks;

namespace IntegrationSync.SyncApi.Inbound;

public static class InboundRegistration
{
    /// <summary>Provider notifications: endpoints and their tenant routes, replay receipts, the receiver.</summary>
    public static IServiceCollection AddInboundWebhooks(this IServiceCollection services)
    {
        services.AddWebhookStore();
        services.AddSingleton<InboundRoutes>();
        services.AddSingleton<InboundEndpoints>();
        services.AddSingleton<InboundReceipts>();
        services.AddSingleton<InboundReceiver>();
        return services;
    }
}
