using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Messaging;

namespace IntegrationSync.SyncRunner.Execution;

public sealed class SyncRequestedHandler(SyncRun run) : IEventHandler<SyncRequested>
{
    public Task HandleAsync(EventContext<SyncRequested> context, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(context.Envelope.TenantId)
            ? throw new PermanentEventException("integration.sync.requested without a tenant")
            : run.ExecuteAsync(context.Envelope.TenantId, context.Data, cancellationToken);
}
