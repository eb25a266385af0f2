using System.Text.Json.Nodes;

namespace IntegrationSync.Shared.Contracts.Events;

[EventName(EventNames.DataRaw, Mandatory = true)]
public sealed record DataRaw(
    string IntegrationId,
    string TenantId,
    string ExternalId,
    string SyncTaskId,
    string CorrelationId,
    RawRecordMetadata Metadata,
    string EntityType,
    JsonNode? RawData,
    string IdempotencyKey);
