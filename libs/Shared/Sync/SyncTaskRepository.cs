using IntegrationSync.Shared.Storage;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.Shared.Sync;

public sealed class SyncTaskRepository(CosmosContainers containers) : CosmosRepository<SyncTaskDocument>(containers.SyncTasks, containers.Kind(SyncTaskDocument.DocType, untypedToo: true))
{
    /// <summary>The tenant's tasks of this fleet not started yet (waiting for a runner, a slot, or a resume).</summary>
    public async Task<int> CountPendingAsync(string tenantId, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition($"SELECT VALUE COUNT(1) FROM c WHERE {OfKind} AND c.tenantId = @tenant AND c.managed = true AND c.status = @pending")
            .WithParameter("@tenant", tenantId).WithParameter("@pending", SyncStatus.Pending);
        using var iterator = Container.GetItemQueryIterator<int>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(tenantId) });
        var count = 0;
        while (iterator.HasMoreResults)
        {
            count += (await iterator.ReadNextAsync(cancellationToken).WaitAsync(cancellationToken)).Sum();
        }
        return count;
    }
}
