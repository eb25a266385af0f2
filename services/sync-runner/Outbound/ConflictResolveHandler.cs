using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Messaging;

namespace IntegrationSync.SyncRunner.Outbound;

/// <summary><c>integration.conflict.resolve</c>: applies a person's choice (<see cref="ConflictResolution"/>); a failure is shown on the conflict and retried.</summary>
public sealed class ConflictResolveHandler(ConflictResolution resolution) : IEventHandler<ConflictResolve>
{
    public async Task HandleAsync(EventContext<ConflictResolve> context, CancellationToken cancellationToken)
    {
        var tenantId = context.TenantId(null) ?? throw new PermanentEventException("integration.conflict.resolve without a tenant");
        try
        {
            await resolution.ApplyAsync(tenantId, context.Data.ConflictId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await resolution.RecordFailureAsync(tenantId, context.Data.ConflictId, e, cancellationToken);
            throw;
        }
    }
}
