using System.Net;
using IntegrationSync.Shared.Storage;
using Microsoft.Azure.Cosmos;

namespace IntegrationSync.EventConsumer.ShardChanges;

public sealed class ShardChangeRepository(CosmosContainers containers) : CosmosRepository<ShardChangeDocument>(containers.SyncState, containers.Kind(ShardChangeDocument.DocType))
{
    /// <summary>Records one change event; the same event delivered twice is counted once.</summary>
    public async Task<ShardChangeDocument> RecordAsync(ShardChangeDocument change, CancellationToken cancellationToken)
    {
        try
        {
            return await CreateAsync(change with { Changes = 1 }, cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return await UpdateAsync(change.TenantId, change.Id, current => current.LastEventId == change.LastEventId ? null : current with
            {
                IntegrationId = change.IntegrationId,
                ExternalId = change.ExternalId ?? current.ExternalId,
                ShardTypeId = change.ShardTypeId ?? current.ShardTypeId,
                Changes = current.Changes + 1,
                LastEventId = change.LastEventId,
                LastChangedAt = change.LastChangedAt,
                Status = ShardChangeDocument.PendingOutbound,
            }, cancellationToken) ?? (await ReadAsync(change.TenantId, change.Id, cancellationToken))!;
        }
    }
}
