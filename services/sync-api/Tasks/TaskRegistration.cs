using IntegrationSync.Shared.Peers;

namespace IntegrationSync.SyncApi.Tasks;

public static class TaskRegistration
{
    /// <summary>What a trigger checks before it stores a task: the tenant's trigger rate and the integration (integration-manager).</summary>
    public static IServiceCollection AddTriggerChecks(this IServiceCollection services)
    {
        services.AddPeerClient<IntegrationManagerClient>(peers => peers.IntegrationManager);
        services.AddSingleton<TriggerRateLimiter>();
        return services;
    }
}
