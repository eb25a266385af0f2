using IntegrationSync.Shared.Peers;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.SyncRunner.Adapters;

namespace IntegrationSync.SyncRunner.Outbound;

/// <summary>Castiel's side of a record: the shard (null once deleted), the mapping that applies, and its mapped values.</summary>
public sealed record LocalSide(ShardView? Shard, EntityMapping Mapping, Side Side);

/// <summary>
/// Reads both sides of a record: the shard through shard-manager (a 404 is a deletion; a <c>{}</c> from a bare response
/// schema cannot be pushed from and fails), and the vendor record through the adapter (none is a deletion; a record
/// without a vendor id yet has no remote side), and compares them with the record's base.
/// </summary>
public sealed class RecordSides(ShardManagerClient shards, TimeProvider time)
{
    public async Task<LocalSide> ReadLocalAsync(OutboundTarget target, SyncRecordDocument record, CancellationToken cancellationToken)
    {
        var (found, shardJson) = await shards.FindShardAsync(target.TenantId, record.ShardId!, cancellationToken);
        if (found && shardJson is null)
        {
            throw new PeerCallException(ShardManagerClient.Name, "GET shard", System.Net.HttpStatusCode.OK,
                "shard-manager answered {} (a bare response schema): the shard's fields cannot be read, so nothing is pushed");
        }
        var shard = shardJson is null ? null : new ShardView(shardJson);
        var mapping = target.MappingFor(record, shard)
            ?? throw new AdapterException(AdapterErrorKind.Permanent, $"integration {target.Integration.Id} no longer maps entity type {record.EntityType}");
        var side = shard is null || shard.Deleted
            ? Side.Gone(shard?.UpdatedAt ?? time.GetUtcNow())
            : new Side(mapping.FromShard(shard.StructuredData), false, shard.UpdatedAt);
        return new LocalSide(shard, mapping, side);
    }

    public async Task<PushContext> ReadAsync(OutboundTarget target, SyncRecordDocument record, LocalSide local, CancellationToken cancellationToken)
    {
        var fields = local.Mapping.Comparable.Select(f => f.ShardField).ToList();
        if (record.ExternalId is null)
        {
            return new PushContext(target, record, local.Shard, local.Mapping, ThreeWay.Compare(null, local.Side, Side.Gone(null), fields), null, null);
        }
        var remoteRecord = await target.Adapter.ReadOneAsync(new AdapterRecordRequest(target.Connection, record.EntityType, record.ExternalId), cancellationToken);
        var remoteValues = remoteRecord is null ? null : local.Mapping.ToShard(remoteRecord.Data);
        var remote = remoteRecord is null
            ? Side.Gone(time.GetUtcNow())
            : new Side(remoteValues, false, RemoteRecord.ModifiedAt(remoteRecord.Data, target.Integration.Settings));
        // After a deletion the base says nothing about the record as it exists again.
        var comparison = ThreeWay.Compare(record.Deleted is null ? record.Base : null, local.Side, remote, fields);
        return new PushContext(target, record, local.Shard, local.Mapping, comparison, remoteRecord,
            remoteRecord is null ? null : RemoteRecord.Version(remoteRecord, remoteValues!));
    }

    public async Task<PushContext> ReadAsync(OutboundTarget target, SyncRecordDocument record, CancellationToken cancellationToken) =>
        await ReadAsync(target, record, await ReadLocalAsync(target, record, cancellationToken), cancellationToken);
}
