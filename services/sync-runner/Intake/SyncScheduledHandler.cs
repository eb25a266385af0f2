using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Peers;

namespace IntegrationSync.SyncRunner.Intake;

/// <summary>
/// integration-manager found an integration due: one inbound task per enabled entity mapping (reference §5.10);
/// one task without an entity type when it has no mappings; none when every mapping is disabled.
/// </summary>
public sealed class SyncScheduledHandler(IntegrationManagerClient integrationManager, TaskIntake intake, ILogger<SyncScheduledHandler> logger)
    : IEventHandler<SyncScheduled>
{
    public async Task HandleAsync(EventContext<SyncScheduled> context, CancellationToken cancellationToken)
    {
        var tenantId = context.TenantId(context.Data.TenantId)
            ?? throw new PermanentEventException("integration.sync.scheduled without a tenant");
        var integration = await integrationManager.GetIntegrationAsync(tenantId, context.Data.IntegrationId, cancellationToken);
        if (integration is null)
        {
            logger.LogWarning("Scheduled integration {IntegrationId} no longer exists; nothing to sync", context.Data.IntegrationId);
            return;
        }

        var mappings = integration.SyncConfig["entityMappings"] as JsonArray ?? [];
        IEnumerable<string?> entityTypes = mappings.Count == 0
            ? [null]
            : mappings.OfType<JsonObject>()
                .Where(m => m["enabled"]?.GetValueKind() is not System.Text.Json.JsonValueKind.False)
                .Select(m => m["externalEntity"]?.GetValue<string>())
                .Where(e => !string.IsNullOrEmpty(e))
                .Distinct();
        foreach (var entityType in entityTypes)
        {
            await intake.CreateAsync(tenantId, context.Envelope.Id, integration.Id, entityType, filters: null, "scheduler", cancellationToken);
        }
    }
}
