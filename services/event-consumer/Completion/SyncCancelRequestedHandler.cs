using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.EventConsumer.Completion;

/// <summary>A cancel of a task whose execution is processing ends it here; other statuses are the runner's.</summary>
public sealed class SyncCancelRequestedHandler(CompletionLifecycle lifecycle) : IEventHandler<SyncCancelRequested>
{
    public Task HandleAsync(EventContext<SyncCancelRequested> context, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(context.Envelope.TenantId)
            ? throw new PermanentEventException("integration.sync.cancel_requested without a tenant")
            : lifecycle.CancelAsync(context.Envelope.TenantId, WorkMessages.ExecutionIdFor(context.Data.TaskId), cancellationToken);
}
