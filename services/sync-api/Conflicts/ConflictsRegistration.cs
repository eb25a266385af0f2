using IntegrationSync.Shared.Conflicts;
using IntegrationSync.Shared.Configuration;
using IntegrationSync.Shared.SyncState;

namespace IntegrationSync.SyncApi.Conflicts;

public static class ConflictsRegistration
{
    /// <summary>The conflicts module: the store, and resolutions handed to the runner to apply (<c>bidirectional.resolve_wait_seconds</c>).</summary>
    public static IServiceCollection AddConflicts(this IServiceCollection services)
    {
        services.AddConflictStore();
        services.AddValidatedOptions<BidirectionalOptions>(BidirectionalOptions.Section);
        services.AddSingleton<ConflictResolver>();
        return services;
    }
}
