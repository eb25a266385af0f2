using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.EventConsumer.Statistics;

public sealed class DataMappingFailedHandler(ResultBatcher batcher) : IEventHandler<DataMappingFailed>
{
    public Task HandleAsync(EventContext<DataMappingFailed> context, CancellationToken cancellationToken)
    {
        var data = context.Data;
        return batcher.CountAsync(new MappingResult(
            context.TenantId(data.TenantId), data.CorrelationId, data.SyncTaskId,
            data.IdempotencyKey ?? data.ExternalId ?? context.Envelope.Id, MappingOutcome.Failed, data.Error), cancellationToken);
    }
}
