using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;

namespace IntegrationSync.SyncRunner.Deletions;

/// <summary>
/// <c>integration.sync.deletions_decided</c>: carries out the decision stored on the execution (not the message's, which
/// a later request may have overtaken) on the deletions the guard held; a redelivery finds no marks left and changes nothing.
/// </summary>
public sealed class DeletionsDecidedHandler(ExecutionRepository executions, DeletionApplier applier, ILogger<DeletionsDecidedHandler> logger)
    : IEventHandler<DeletionsDecided>
{
    public async Task HandleAsync(EventContext<DeletionsDecided> context, CancellationToken cancellationToken)
    {
        var tenantId = context.TenantId(null) ?? throw new PermanentEventException("integration.sync.deletions_decided without a tenant");
        var executionId = context.Data.ExecutionId;
        var decided = (await executions.ReadAsync(tenantId, executionId, cancellationToken))?.Deletions?.Approval;
        switch (decided)
        {
            case ExecutionDeletions.Approved:
                var applied = await applier.ApplyAsync(tenantId, executionId, cancellationToken);
                if (applied > 0)
                {
                    await executions.UpdateAsync(tenantId, executionId,
                        e => e with { Deletions = e.Deletions! with { Propagated = e.Deletions.Propagated + applied } }, cancellationToken);
                }
                logger.LogInformation("Execution {ExecutionId}: {Count} held deletions approved and applied", executionId, applied);
                break;
            case ExecutionDeletions.Rejected:
                logger.LogInformation("Execution {ExecutionId}: {Count} held deletions rejected; the shards stay",
                    executionId, await applier.LetGoAsync(tenantId, executionId, cancellationToken));
                break;
            default:
                logger.LogWarning("Execution {ExecutionId}: a decision on its deletions arrived, but none is stored ({Approval})", executionId, decided ?? "none");
                break;
        }
    }
}
