using IntegrationSync.Shared.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntegrationSync.Shared.SyncState;

public static class SyncStateRegistration
{
    /// <summary>Per-record sync state, the records' links to their shards and the <c>bidirectional</c> options, for every host that pushes, detects or resolves.</summary>
    public static IServiceCollection AddSyncState(this IServiceCollection services)
    {
        services.AddValidatedOptions<BidirectionalOptions>(BidirectionalOptions.Section);
        services.TryAddSingleton<SyncRecordRepository>();
        services.TryAddSingleton<RecordLinks>();
        return services;
    }
}
