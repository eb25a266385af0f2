using IntegrationSync.Shared.Webhooks;

namespace IntegrationSync.SyncRunner.Lifecycle;

public static class LifecycleRegistration
{
    /// <summary>What integration-manager's integration.deleted and integration.updated change in the fleet.</summary>
    public static IServiceCollection AddIntegrationLifecycle(this IServiceCollection services)
    {
        services.AddWebhookStore();
        services.AddSingleton<IntegrationRetirement>();
        return services;
    }
}
