using IntegrationSync.Shared.Configuration;
using IntegrationSync.Shared.Configuration.Options;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationSync.Shared.Limits;

public static class LimitsRegistration
{
    /// <summary><c>sync_limits</c> options, the min-interval gate and the tenant slots with their waiting work.</summary>
    public static IServiceCollection AddSyncLimits(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(MinIntervalGate)))
        {
            return services;
        }
        services.AddValidatedOptions<SyncLimitsOptions>(SyncLimitsOptions.Section);
        services.AddSingleton<MinIntervalGate>();
        services.AddSingleton<TenantSlots>();
        services.AddSingleton<WaitingWorkDispatcher>();
        return services;
    }
}
