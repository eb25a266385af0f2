using IntegrationSync.Shared.Configuration;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Limits;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationSync.Shared.Sync;

public static class SyncRegistration
{
    public static IServiceCollection AddSyncStore(this IServiceCollection services)
    {
        services.AddSingleton<SyncTaskRepository>();
        services.AddSingleton<ExecutionRepository>();
        services.AddSingleton<ExecutionTallyRepository>();
        services.AddSingleton<ExecutionCompletion>();
        services.AddValidatedOptions<SyncLimitsOptions>(SyncLimitsOptions.Section);
        services.AddSingleton<TenantSlots>();
        services.AddSingleton<WaitingWorkDispatcher>();
        return services;
    }
}
