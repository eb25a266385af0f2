using IntegrationSync.Shared.Configuration;
using IntegrationSync.Shared.Configuration.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntegrationSync.Shared.Limits;

public static class LimitsRegistration
{
    /// <summary><c>sync_limits</c> options and the shared min-interval gate.</summary>
    public static IServiceCollection AddSyncLimits(this IServiceCollection services)
    {
        services.AddValidatedOptions<SyncLimitsOptions>(SyncLimitsOptions.Section);
        services.TryAddSingleton<MinIntervalGate>();
        return services;
    }
}
