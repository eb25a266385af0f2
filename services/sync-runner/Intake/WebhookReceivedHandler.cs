using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;

namespace IntegrationSync.SyncRunner.Intake;

/// <summary>A verified inbound webhook: one incremental inbound task for the entity type it names.</summary>
public sealed class WebhookReceivedHandler(TaskIntake intake) : IEventHandler<WebhookReceived>
{
    public Task HandleAsync(EventContext<WebhookReceived> context, CancellationToken cancellationToken)
    {
        var tenantId = context.TenantId(context.Data.TenantId)
            ?? throw new PermanentEventException("integration.webhook.received without a tenant");
        return intake.CreateAsync(tenantId, context.Envelope.Id, context.Data.IntegrationId, context.Data.EntityType,
            context.Data.Filters, "webhook", cancellationToken);
    }
}
