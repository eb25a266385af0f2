using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Messaging;
using IntegrationSync.Shared.Sync;
using IntegrationSync.Shared.Webhooks;
using Microsoft.Extensions.Options;

namespace IntegrationSync.EventConsumer.Webhooks;

/// <summary>
/// Turns one lifecycle event into one delivery per active registration of its tenant and integration that lists the
/// event: each stored before the message is acknowledged, then handed to the dispatcher for its first attempt. The body is
/// <c>{type, timestamp, data}</c> with the event's own data (this tenant's ids only) and the integration it concerns. A
/// delivery this replica has room for is created already claimed by it, so its first attempt costs no claim write; one it
/// has no room for is left for a poll.
/// </summary>
public sealed class WebhookFanOut(
    WebhookRepository webhooks,
    WebhookDeliveryRepository deliveries,
    SyncTaskRepository tasks,
    DeliveryDispatcher dispatcher,
    ServiceIdentity identity,
    IOptions<WebhookOptions> options,
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
        var now = time.GetUtcNow();
        foreach (var webhook in subscribed)
        {
            var id = WebhookDeliveryDocument.IdFor(webhook.EffectiveId, envelope.Id);
            var claim = dispatcher.HasRoom(envelope.TenantId, webhook.EffectiveId);
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
                NextAttemptAt = IsoTime.Format(claim ? now + options.Value.Delivery.Claim : now),
                ClaimedBy = claim ? identity.Instance : null,
                ClaimToken = claim ? Guid.NewGuid().ToString("N") : null,
                CreatedAt = IsoTime.Format(now),
                UpdatedAt = IsoTime.Format(now),
            }, cancellationToken);
            // Null: the broker delivered the event again and the delivery exists already; its own schedule carries on.
            // Refused by a lane that filled meanwhile, a claimed one waits for its claim to end.
            if (created is not null && claim)
            {
                dispatcher.TryEnqueue(new DeliveryWork(created, webhook, PreClaimed: true));
            }
        }
    }

    private async Task<string?> IntegrationOfTaskAsync(string tenantId, string? taskId, CancellationToken cancellationToken) =>
        taskId is null ? null : (await tasks.ReadAsync(tenantId, taskId, cancellationToken))?.IntegrationId;

    private static string? Text(JsonObject data, string name) =>
        data[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } text ? text : null;
}
