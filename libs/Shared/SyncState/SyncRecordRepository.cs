using Microsoft.Azure.Cosmos;

namespace IntegrationSync.Shared.SyncState;

/// <summary>Per-record sync state; every record is its own partition, so a point read or write names it by id alone.</summary>
public sealed class SyncRecordRepository(Storage.CosmosContainers containers) : Storage.CosmosRepository<SyncRecordDocument>(containers.SyncRecords, containers.Kind(SyncRecordDocument.DocType))
{
    protected override PartitionKey PartitionOf(string tenantId, string id) => new(id);

    /// <summary>The records of these ids that exist (one request per physical partition, not one per record).</summary>
    public async Task<Dictionary<string, SyncRecordDocument>> ReadManyAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var response = await Container.ReadManyItemsAsync<SyncRecordDocument>(ids.Distinct().Select(id => (id, new PartitionKey(id))).ToList(),
            cancellationToken: cancellationToken).WaitAsync(cancellationToken);
        return response.Resource.ToDictionary(r => r.Id);
    }

    /// <summary>An integration's records with a Castiel change to push (of one entity type), oldest change first.</summary>
    public Task<List<SyncRecordDocument>> PendingAsync(string tenantId, string integrationId, string entityType, int max, CancellationToken cancellationToken) =>
        QueryAcrossPartitionsAsync(new QueryDefinition(
                $"SELECT * FROM c WHERE {OfKind} AND c.tenantId = @tenant AND c.integrationId = @integration AND c.entityType = @entity "
                + "AND IS_DEFINED(c.pending.since) AND NOT IS_DEFINED(c.pending.failedAt) AND NOT IS_DEFINED(c.openConflictId) ORDER BY c.pending.since")
            .WithParameter("@tenant", tenantId).WithParameter("@integration", integrationId).WithParameter("@entity", entityType.ToLowerInvariant()),
            max, cancellationToken);

    /// <summary>Across tenants: changes not pushed since <paramref name="before"/> whose retry (if any) is due (the fleet's sweep).</summary>
    public Task<List<SyncRecordDocument>> StalledAsync(string before, string now, int max, CancellationToken cancellationToken) =>
        QueryAcrossPartitionsAsync(new QueryDefinition(
                $"SELECT * FROM c WHERE {OfKind} AND IS_DEFINED(c.pending.since) AND NOT IS_DEFINED(c.pending.failedAt) AND NOT IS_DEFINED(c.openConflictId) "
                + "AND c.pending.lastChangedAt < @before "
                + "AND (NOT IS_DEFINED(c.pending.retryAt) OR c.pending.retryAt <= @now)")
            .WithParameter("@before", before).WithParameter("@now", now), max, cancellationToken);

    /// <summary>Records whose vendor deletion <paramref name="executionId"/> saw and has not applied or let go yet (a batch of them).</summary>
    public Task<List<SyncRecordDocument>> DeletingAsync(string tenantId, string executionId, int max, CancellationToken cancellationToken) =>
        QueryAcrossPartitionsAsync(new QueryDefinition(
                $"SELECT * FROM c WHERE {OfKind} AND c.tenantId = @tenant AND c.deleting.executionId = @execution")
            .WithParameter("@tenant", tenantId).WithParameter("@execution", executionId), max, cancellationToken);

    /// <summary>
    /// A page of the integration's records (of one entity type) linked to a live shard with no Castiel change or conflict
    /// waiting, and the continuation to the next page (null after the last): what a reconciliation checks at the vendor.
    /// </summary>
    public async Task<(List<SyncRecordDocument> Records, string? Continuation)> LinkedPageAsync(
        string tenantId, string integrationId, string entityType, string? continuation, int max, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition(
                $"SELECT * FROM c WHERE {OfKind} AND c.tenantId = @tenant AND c.integrationId = @integration AND c.entityType = @entity "
                + "AND IS_STRING(c.shardId) AND IS_STRING(c.externalId) AND NOT IS_DEFINED(c.deleted.side) AND NOT IS_DEFINED(c.pending.since) "
                + "AND NOT IS_DEFINED(c.openConflictId)")
            .WithParameter("@tenant", tenantId).WithParameter("@integration", integrationId).WithParameter("@entity", entityType.ToLowerInvariant());
        using var iterator = Container.GetItemQueryIterator<SyncRecordDocument>(query, continuation, new QueryRequestOptions { MaxItemCount = max });
        if (!iterator.HasMoreResults)
        {
            return ([], null);
        }
        var page = await iterator.ReadNextAsync(cancellationToken).WaitAsync(cancellationToken);
        return ([.. page], page.ContinuationToken);
    }

    public Task<int> CountDeletingAsync(string tenantId, string executionId, CancellationToken cancellationToken) =>
        CountAsync(new QueryDefinition($"SELECT VALUE COUNT(1) FROM c WHERE {OfKind} AND c.tenantId = @tenant AND c.deleting.executionId = @execution")
            .WithParameter("@tenant", tenantId).WithParameter("@execution", executionId), cancellationToken);

    /// <summary>The integration's records (of one entity type) linked to a shard that is not deleted: what a mass deletion is measured against.</summary>
    public Task<int> CountLinkedAsync(string tenantId, string integrationId, string entityType, CancellationToken cancellationToken) =>
        CountAsync(new QueryDefinition(
                $"SELECT VALUE COUNT(1) FROM c WHERE {OfKind} AND c.tenantId = @tenant AND c.integrationId = @integration AND c.entityType = @entity "
                + "AND IS_STRING(c.shardId) AND NOT IS_DEFINED(c.deleted.side)")
            .WithParameter("@tenant", tenantId).WithParameter("@integration", integrationId).WithParameter("@entity", entityType.ToLowerInvariant()),
            cancellationToken);

    private async Task<int> CountAsync(QueryDefinition query, CancellationToken cancellationToken)
    {
        using var iterator = Container.GetItemQueryIterator<int>(query);
        var count = 0;
        while (iterator.HasMoreResults)
        {
            count += (await iterator.ReadNextAsync(cancellationToken).WaitAsync(cancellationToken)).Sum();
        }
        return count;
    }

    /// <summary>Lets every record of the integration expire after <paramref name="retention"/> (Cosmos TTL); the count set.</summary>
    public async Task<int> ExpireIntegrationAsync(string tenantId, string integrationId, TimeSpan retention, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition($"SELECT VALUE c.id FROM c WHERE {OfKind} AND c.tenantId = @tenant AND c.integrationId = @integration")
            .WithParameter("@tenant", tenantId).WithParameter("@integration", integrationId);
        var expiring = 0;
        using var iterator = Container.GetItemQueryIterator<string>(query);
        while (iterator.HasMoreResults)
        {
            foreach (var id in await iterator.ReadNextAsync(cancellationToken).WaitAsync(cancellationToken))
            {
                await PatchAsync(tenantId, id, [PatchOperation.Set("/ttl", (int)retention.TotalSeconds)], cancellationToken);
                expiring++;
            }
        }
        return expiring;
    }

    private async Task<List<SyncRecordDocument>> QueryAcrossPartitionsAsync(QueryDefinition query, int max, CancellationToken cancellationToken)
    {
        var results = new List<SyncRecordDocument>();
        using var iterator = Container.GetItemQueryIterator<SyncRecordDocument>(query, requestOptions: new QueryRequestOptions { MaxItemCount = max });
        while (iterator.HasMoreResults && results.Count < max)
        {
            results.AddRange(await iterator.ReadNextAsync(cancellationToken).WaitAsync(cancellationToken));
        }
        return results.Take(max).ToList();
    }
}
