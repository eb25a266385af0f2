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
        services.AddSyncLimits();
        return services;
    }
}
