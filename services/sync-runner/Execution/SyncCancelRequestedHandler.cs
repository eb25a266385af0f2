using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>A cancel of a paused task ends its execution here; a running one stops at its next page by itself.</summary>
public sealed class SyncCancelRequestedHandler(RunLifecycle lifecycle) : IEventHandler<SyncCancelRequested>
{
    public Task HandleAsync(EventContext<SyncCancelRequested> context, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(context.Envelope.TenantId)
            ? throw new PermanentEventException("integration.sync.cancel_requested without a tenant")
            : lifecycle.CancelPausedAsync(context.Envelope.TenantId, WorkMessages.ExecutionIdFor(context.Data.TaskId), cancellationToken);
}
