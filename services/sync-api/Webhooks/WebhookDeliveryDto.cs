using System.Text.Json.Nodes;
using IntegrationSync.Shared.Webhooks;

namespace IntegrationSync.SyncApi.Webhooks;

/// <summary>
/// One delivery of the log: the event, the body sent (the tenant's own data), its status, every attempt (status code,
/// latency, error, the start of the answer) and, while pending, when the next attempt is due.
/// </summary>
public sealed record WebhookDeliveryDto(
    string DeliveryId, string WebhookId, string? IntegrationId, string EventType, string? EventId, string Status, int Attempts,
    string? NextAttemptAt, string? LastAttemptAt, int? LastStatusCode, long? LastLatencyMs, string? LastError, string? LastResponseBody,
    IReadOnlyList<DeliveryAttemptRecord> AttemptLog, JsonNode? Payload, string CreatedAt, string? CompletedAt)
{
    public static WebhookDeliveryDto From(WebhookDeliveryDocument d) => new(
        d.DeliveryId, d.WebhookId, d.IntegrationId, d.EventType, d.EventId, d.Status, d.Attempts,
        d.Status == WebhookDeliveryDocument.Pending ? d.NextAttemptAt : null, d.LastAttemptAt, d.LastStatusCode, d.LastLatencyMs, d.LastError,
        d.LastResponseBody, d.AttemptLog ?? [], JsonNode.Parse(d.Payload), d.CreatedAt, d.CompletedAt);
}
