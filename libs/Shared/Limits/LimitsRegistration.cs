using IntegrationSync.Shared.Configuration;
using IntegrationSync.Shared.Configuration.Options;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationSync.Shared.Limits;

public static class LimitsRegistration
{
    /// <summary><c>sync_limits</c> options and the min-interval gate, which the API and the runner's intake both pass.</summary>
    public static IServiceCollection AddSyncLimits(this IServiceCollection services)
    {
        services.AddValidatedOptions<SyncLimitsOptions>(SyncLimitsOptions.Section);
        services.AddSingleton<MinIntervalGate>();
        return services;
    }
}
