using System.Text.Json.Nodes;

namespace IntegrationSync.Shared.Contracts.Events;

[EventName(EventNames.DataRawBatch, Mandatory = true)]
public sealed record DataRawBatch(
    string IntegrationId,
    string TenantId,
    string EntityType,
    IReadOnlyList<RawBatchRecord> Records,
    string SyncTaskId,
    string CorrelationId,
    int BatchSize,
    RawRecordMetadata Metadata);

public sealed record RawBatchRecord(JsonNode? RawData, string ExternalId, string IdempotencyKey);
