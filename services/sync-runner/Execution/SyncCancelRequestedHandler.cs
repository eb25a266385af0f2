using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.SyncRunner.Execution;

/// <summary>A cancel of a paused task ends its execution here; a running one stops at its next page by itself.</summary>
public sealed class SyncCancelRequestedHandler(RunLifecycle lifecycle) : IEventHandler<SyncCancelRequested>
{
    public Task HandleAsync(EventContext<SyncCancelRequested> context, CancellationToken cancellationToken) =>
        lifecycle.CancelPausedAsync(context.RequiredTenant, WorkMessages.ExecutionIdFor(context.Data.TaskId), cancellationToken);
}
