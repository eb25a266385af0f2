using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Sync;
using IntegrationSync.Shared.Webhooks;

namespace IntegrationSync.EventConsumer.Webhooks;

/// <summary>
/// Turns one lifecycle event into one delivery per active registration of its tenant and integration that lists the
/// event: each stored before the message is acknowledged, then handed to the dispatcher for its first attempt. The body is
/// <c>{type, timestamp, data}</c> with the event's own data (this tenant's ids only) and the integration it concerns.
/// </summary>
public sealed class WebhookFanOut(
    WebhookRepository webhooks,
    WebhookDeliveryRepository deliveries,
    SyncTaskRepository tasks,
    DeliveryDispatcher dispatcher,
    TimeProvider time,
    ILogger<WebhookFanOut> logger)
{
    public async Task FanOutAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(envelope.TenantId) || envelope.TenantId == "system")
        {
            return; // a fleet-level event: no tenant has registrations for it
        }
        if (JsonNode.Parse(envelope.Data.GetRawText()) is not JsonObject data)
        {
            return;
        }
        var integrationId = Text(data, "integrationId") ?? await IntegrationOfTaskAsync(envelope.TenantId, Text(data, "taskId"), cancellationToken);
        if (integrationId is null)
        {
            logger.LogDebug("{EventType} {EventId} names no integration the fleet knows; no webhook to deliver", envelope.Type, envelope.Id);
            return;
        }
        var subscribed = await webhooks.SubscribedAsync(envelope.TenantId, integrationId, envelope.Type, cancellationToken);
        if (subscribed.Count == 0)
        {
            return;
        }
        data["integrationId"] = integrationId;
        var payload = new JsonObject { ["type"] = envelope.Type, ["timestamp"] = envelope.Timestamp, ["data"] = data }.ToJsonString(ContractJson.Options);
        var now = IsoTime.Format(time.GetUtcNow());
        foreach (var webhook in subscribed)
        {
            var id = WebhookDeliveryDocument.IdFor(webhook.EffectiveId, envelope.Id);
            var created = await deliveries.TryCreateAsync(new WebhookDeliveryDocument
            {
                Id = id,
                DeliveryId = id,
                TenantId = envelope.TenantId,
                WebhookId = webhook.EffectiveId,
                IntegrationId = integrationId,
                EventType = envelope.Type,
                EventId = envelope.Id,
                Payload = payload,
                Status = WebhookDeliveryDocument.Pending,
                NextAttemptAt = now,
                CreatedAt = now,
                UpdatedAt = now,
            }, cancellationToken);
            // Null: the broker delivered the event again and the delivery exists already; its own schedule carries on.
            if (created is not null)
            {
                dispatcher.TryEnqueue(created);
            }
        }
    }

    private async Task<string?> IntegrationOfTaskAsync(string tenantId, string? taskId, CancellationToken cancellationToken) =>
        taskId is null ? null : (await tasks.ReadAsync(tenantId, taskId, cancellationToken))?.IntegrationId;

    private static string? Text(JsonObject data, string name) =>
        data[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } text ? text : null;
}
