using IntegrationSync.Shared.SyncState;

namespace IntegrationSync.EventConsumer.ShardChanges;

public static class ShardChangesRegistration
{
    /// <summary>Shard changes become pending pushes of bidirectional sync (the records' sync state) and the links of vendor records to their shards.</summary>
    public static IServiceCollection AddShardChanges(this IServiceCollection services) => services.AddSyncState();
}
