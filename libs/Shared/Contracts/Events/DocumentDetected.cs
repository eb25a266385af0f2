using System.Text.Json.Nodes;

namespace IntegrationSync.Shared.Contracts.Events;

/// <summary>A document record for integration-processors' document processor (reference §2.5.3); <c>idempotencyKey</c> is ours.</summary>
[EventName(EventNames.DocumentDetected, Mandatory = true)]
public sealed record DocumentDetected(
    string IntegrationId,
    string TenantId,
    string ExternalId,
    string SyncTaskId,
    string CorrelationId,
    RawRecordMetadata Metadata,
    string DocumentId,
    JsonNode? ExternalUrl,
    JsonNode? Title,
    JsonNode? MimeType,
    JsonNode? Size,
    string IntegrationSource,
    JsonNode? SourcePath,
    JsonNode? ParentFolderId,
    JsonNode? ParentFolderName,
    JsonNode? CreatedBy,
    JsonNode? ModifiedBy,
    JsonNode? CreatedAt,
    JsonNode? ModifiedAt,
    string IdempotencyKey);
