using System.Text.Json.Nodes;

namespace IntegrationSync.Shared.Contracts.Events;

/// <summary>
/// An email record for integration-processors' email processor (reference §2.5.3), with the fields it reads that the
/// original never sent (<c>bodyPlainText</c>, <c>bodyHtml</c>, <c>sentAt</c>, <c>integrationSource</c>); <c>idempotencyKey</c> is ours.
/// </summary>
[EventName(EventNames.EmailReceived, Mandatory = true)]
public sealed record EmailReceived(
    string IntegrationId,
    string TenantId,
    string ExternalId,
    string SyncTaskId,
    string CorrelationId,
    RawRecordMetadata Metadata,
    string EmailId,
    JsonNode? ThreadId,
    JsonNode? From,
    JsonNode? To,
    JsonNode? Subject,
    JsonNode? Body,
    JsonNode Attachments,
    JsonNode? ReceivedAt,
    JsonNode? BodyPlainText,
    JsonNode? BodyHtml,
    JsonNode? SentAt,
    string IntegrationSource,
    string IdempotencyKey);
