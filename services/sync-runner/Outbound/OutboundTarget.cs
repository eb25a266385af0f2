using IntegrationSync.Shared.Peers;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Execution;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Outbound;

/// <summary>What the pushes of one integration share: the integration, its adapter and credentials, and how it takes writes.</summary>
public sealed record OutboundTarget(string TenantId, IntegrationDescriptor Integration, ISyncAdapter Adapter, AdapterConnection Connection, WriteBack WriteBack)
{
    public string AdapterName => Adapter.Descriptor.Name;

    /// <summary>The connection after a credential refresh.</summary>
    public OutboundTarget With(AdapterConnection connection) => this with { Connection = connection };

    /// <summary>The mapping of a record's shard type, else of its entity type.</summary>
    public EntityMapping? MappingFor(SyncRecordDocument record, ShardView? shard) =>
        EntityMapping.ForShardType(Integration.SyncConfig, shard?.ShardTypeId ?? record.ShardTypeId, shard?.ShardTypeName)
        ?? EntityMapping.ForEntity(Integration.SyncConfig, record.EntityType);
}

/// <summary>Opens an integration for pushes, as a run opens it for reads (<see cref="RunSource"/>).</summary>
public sealed class OutboundTargets(RunSource source, IOptions<BidirectionalOptions> options)
{
    public async Task<OutboundTarget> OpenAsync(string tenantId, string integrationId, CancellationToken cancellationToken)
    {
        var (integration, adapter, connection) = await source.OpenAsync(tenantId, integrationId, cancellationToken);
        return new OutboundTarget(tenantId, integration, adapter, connection, WriteBack.Of(integration, options.Value.DefaultConflictResolution));
    }
}
