using IntegrationSync.Shared.Limits;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationSync.Shared.Sync;

public static class SyncRegistration
{
    /// <summary>Tasks and executions, which every host reads, the announcement of a final status, and the sync limits.</summary>
    public static IServiceCollection AddSyncStore(this IServiceCollection services)
    {
        services.AddSingleton<SyncTaskRepository>();
        services.AddSingleton<ExecutionRepository>();
        services.AddSingleton<ExecutionAnnouncer>();
        services.AddSingleton<MappingProgress>();
        services.AddSyncLimits();
        return services;
    }
}
