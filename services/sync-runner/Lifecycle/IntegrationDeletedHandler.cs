using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;

namespace IntegrationSync.SyncRunner.Lifecycle;

public sealed class IntegrationDeletedHandler(IntegrationRetirement retirement) : IEventHandler<IntegrationDeleted>
{
    public Task HandleAsync(EventContext<IntegrationDeleted> context, CancellationToken cancellationToken) =>
        retirement.RetireAsync(context.TenantId(context.Data.TenantId) ?? throw new PermanentEventException("integration.deleted without a tenant"),
            context.Data.IntegrationId, cancellationToken);
}
