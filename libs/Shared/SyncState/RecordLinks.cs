using IntegrationSync.Shared.Contracts;

namespace IntegrationSync.Shared.SyncState;

/// <summary>
/// Which shard a vendor record became, kept on the record's sync state (<see cref="SyncRecordDocument.ShardId"/>), for
/// every integration, inbound-only ones included: shard-manager cannot find a shard by its external id (reference §6.4),
/// so this link is how a record deleted at the vendor reaches its shard. Learnt by event-consumer from shard events (one
/// point read per event; one write the first time a record's shard is known), and by the runner from shard-manager's
/// listing for records mapped before the fleet learnt links. An inbound-only record's state holds the link and nothing else.
/// </summary>
public sealed class RecordLinks(SyncRecordRepository records, TimeProvider time)
{
    public async Task LinkAsync(
        string tenantId, string integrationId, string entityType, string? externalId, ShardView shard, string shardId, string? shardTypeId,
        CancellationToken cancellationToken, SyncRecordDocument? known = null)
    {
        if (externalId is null || shard.Deleted || known?.ShardId == shardId)
        {
            return;
        }
        var id = SyncRecordDocument.IdFor(tenantId, integrationId, entityType, externalId);
        var now = IsoTime.Format(time.GetUtcNow());
        await records.ChangeAsync(tenantId, id, current => current?.ShardId == shardId ? null : (current ?? new SyncRecordDocument
        {
            Id = id, TenantId = tenantId, IntegrationId = integrationId, EntityType = entityType, ExternalId = externalId, CreatedAt = now,
        }) with
        {
            ShardId = shardId, ShardTypeId = shardTypeId ?? current?.ShardTypeId, UpdatedAt = now,
        }, cancellationToken);
    }
}
