using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.EventConsumer.Completion;

/// <summary>A cancel of a task whose execution is processing ends it here; other statuses are the runner's.</summary>
public sealed class SyncCancelRequestedHandler(CompletionLifecycle lifecycle) : IEventHandler<SyncCancelRequested>
{
    public Task HandleAsync(EventContext<SyncCancelRequested> context, CancellationToken cancellationToken) =>
        lifecycle.CancelAsync(context.RequiredTenant, WorkMessages.ExecutionIdFor(context.Data.TaskId), cancellationToken);
}
