using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Messaging;

namespace IntegrationSync.EventConsumer.Completion;

/// <summary>The runner finished publishing: results may all be counted already (a small run), so completion is checked now.</summary>
public sealed class SyncProcessingHandler(CompletionLifecycle lifecycle) : IEventHandler<SyncProcessing>
{
    public Task HandleAsync(EventContext<SyncProcessing> context, CancellationToken cancellationToken) =>
        lifecycle.TryCompleteAsync(context.RequiredTenant, context.Data.ExecutionId, cancellationToken);
}
