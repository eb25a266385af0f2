using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;

namespace IntegrationSync.SyncRunner.Slots;

/// <summary>
/// An execution's final event frees its tenant slot, whoever ended it (the runner, or event-consumer after mapping):
/// the slots are the runner's, and the event is durable, so no release is lost to a crash after the final status.
/// </summary>
public sealed class SlotRelease(WaitingWork waiting) :
    IEventHandler<SyncCompleted>, IEventHandler<SyncFailed>, IEventHandler<SyncCancelled>
{
    public Task HandleAsync(EventContext<SyncCompleted> context, CancellationToken cancellationToken) =>
        waiting.ReleaseAsync(context.RequiredTenant, context.Data.ExecutionId, cancellationToken);

    public Task HandleAsync(EventContext<SyncFailed> context, CancellationToken cancellationToken) =>
        waiting.ReleaseAsync(context.RequiredTenant, context.Data.ExecutionId, cancellationToken);

    public Task HandleAsync(EventContext<SyncCancelled> context, CancellationToken cancellationToken) =>
        waiting.ReleaseAsync(context.RequiredTenant, context.Data.ExecutionId, cancellationToken);
}
