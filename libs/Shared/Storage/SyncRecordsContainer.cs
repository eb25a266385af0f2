using Microsoft.Azure.Cosmos;

namespace IntegrationSync.Shared.Storage;

/// <summary>
/// The per-record sync state container (<c>cosmos_db.containers.sync_records</c>). Each record is its own logical
/// partition (<c>/id</c>): a tenant with millions of records would outgrow the 20 GB and 10,000 RU/s of one
/// <c>/tenantId</c> partition. Only the paths the fleet queries are indexed, so a write pays for a handful of index terms,
/// not for every field of the snapshot.
/// </summary>
public static class SyncRecordsContainer
{
    public const string PartitionKeyPath = "/id";

    public static ContainerProperties Properties(string name)
    {
        // TTL on for the records that set one: those of a deleted integration, after its retention.
        var properties = new ContainerProperties(name, PartitionKeyPath) { DefaultTimeToLive = -1 };
        properties.IndexingPolicy.IncludedPaths.Clear();
        foreach (var path in new[] { "/type/?", "/tenantId/?", "/integrationId/?", "/entityType/?", "/openConflictId/?", "/pending/*", "/shardId/?", "/deleted/*",
                     "/deleting/*" })
        {
            properties.IndexingPolicy.IncludedPaths.Add(new IncludedPath { Path = path });
        }
        properties.IndexingPolicy.ExcludedPaths.Add(new ExcludedPath { Path = "/*" });
        return properties;
    }
}
