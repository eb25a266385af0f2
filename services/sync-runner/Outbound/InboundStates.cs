using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Peers;
using IntegrationSync.Shared.Storage;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.SyncRunner.Publishing;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Outbound;

/// <summary>
/// Gives an inbound run its <see cref="InboundTracking"/> when its integration takes writes back and maps the run's entity
/// type; otherwise none: an inbound-only integration has nothing to push, so no echo and no conflict to know of, and its
/// runs pay nothing for sync state.
/// </summary>
public sealed class InboundStates(
    SyncRecordRepository records, CosmosRetry retry, IEventPublisher publisher, IOptions<BidirectionalOptions> options, TimeProvider time)
{
    public InboundTracking? Open(RunContext run, IntegrationDescriptor integration, OutboundTally tally)
    {
        var writeBack = WriteBack.Of(integration, options.Value.DefaultConflictResolution);
        if (!writeBack.AllowsWrites || EntityMapping.ForEntity(integration.SyncConfig, run.EntityType) is not { } mapping
            || !writeBack.AllowsShardType(mapping.ShardTypeId, mapping.ShardTypeName))
        {
            return null;
        }
        return new InboundTracking(records, retry, publisher, run, mapping, integration.Settings, options.Value, tally, time);
    }
}
