using System.Text.Json.Nodes;

namespace IntegrationSync.Shared.Contracts.Events;

/// <summary>A verified provider notification (sync-api): the runner runs an incremental inbound sync, coalesced by the minimum interval.</summary>
[EventName(EventNames.WebhookReceived, Mandatory = true)]
public sealed record WebhookReceived(
    string IntegrationId,
    string? TenantId,
    string? EntityType = null,
    JsonObject? Filters = null,
    string? WebhookId = null,
    string? ReceivedAt = null);
