using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.EventConsumer.Statistics;

public sealed class DataMappedHandler(ResultBatcher batcher) : IEventHandler<DataMapped>
{
    public Task HandleAsync(EventContext<DataMapped> context, CancellationToken cancellationToken)
    {
        var data = context.Data;
        var created = data.Created ?? (data.CreatedAt is not null && data.CreatedAt == data.UpdatedAt);
        return batcher.CountAsync(new MappingResult(
            context.TenantId(data.TenantId), data.CorrelationId, data.SyncTaskId,
            data.IdempotencyKey ?? data.ExternalId ?? context.Envelope.Id,
            created ? MappingOutcome.Created : MappingOutcome.Updated), cancellationToken);
    }
}
