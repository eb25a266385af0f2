using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Messaging;

namespace IntegrationSync.SyncRunner.Outbound;

/// <summary>
/// <c>integration.sync.outbound</c>: queues the record in its integration's push lane and acknowledges. The pending
/// change is stored on the record already (by event-consumer, or by whoever sent the command), so a runner that dies
/// before the push loses nothing: the sweep sends the record again.
/// </summary>
public sealed class SyncOutboundHandler(OutboundLanes lanes, ILogger<SyncOutboundHandler> logger) : IEventHandler<SyncOutbound>
{
    public Task HandleAsync(EventContext<SyncOutbound> context, CancellationToken cancellationToken)
    {
        var tenantId = context.TenantId(null) ?? throw new PermanentEventException("integration.sync.outbound without a tenant");
        if (context.Data.RecordId is not { Length: > 0 } recordId)
        {
            // The original's shape (shardId only) names no sync state: nothing this fleet recorded waits for it.
            logger.LogWarning("integration.sync.outbound for shard {ShardId} names no record; ignored", context.Data.ShardId);
            return Task.CompletedTask;
        }
        lanes.Enqueue(tenantId, context.Data.IntegrationId, recordId);
        return Task.CompletedTask;
    }
}
