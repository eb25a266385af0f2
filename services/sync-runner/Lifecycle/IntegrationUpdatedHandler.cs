using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Peers;

namespace IntegrationSync.SyncRunner.Lifecycle;

/// <summary>
/// The fleet caches no integration configuration (every run reads integration-manager when it starts, so the next run
/// has the new field mappings and settings); what an update can change under a run is the status: a disabled integration's
/// running and waiting syncs are cancelled.
/// </summary>
public sealed class IntegrationUpdatedHandler(
    IntegrationManagerClient integrationManager, IntegrationRetirement retirement, ILogger<IntegrationUpdatedHandler> logger)
    : IEventHandler<IntegrationUpdated>
{
    public const string DisabledStatus = "disabled";

    public async Task HandleAsync(EventContext<IntegrationUpdated> context, CancellationToken cancellationToken)
    {
        var tenantId = context.TenantId(context.Data.TenantId) ?? throw new PermanentEventException("integration.updated without a tenant");
        var integration = await integrationManager.GetIntegrationAsync(tenantId, context.Data.IntegrationId, cancellationToken);
        if (integration?.Status is DisabledStatus)
        {
            var cancelled = await retirement.CancelActiveSyncsAsync(tenantId, context.Data.IntegrationId, cancellationToken);
            logger.LogInformation("Integration {IntegrationId} disabled: {Cancelled} syncs cancelled", context.Data.IntegrationId, cancelled);
        }
    }
}
