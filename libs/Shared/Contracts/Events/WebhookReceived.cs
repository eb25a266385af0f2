using System.Text.Json.Nodes;

namespace IntegrationSync.Shared.Contracts.Events;

[EventName(EventNames.WebhookReceived)]
public sealed record WebhookReceived(
    string IntegrationId,
    string? TenantId,
    string? EntityType = null,
    JsonObject? Filters = null,
    string? WebhookId = null,
    string? ReceivedAt = null);
