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
    string IdempotencyKey)
{
    /// <summary>
    /// The <c>syncTaskId</c> of a vendor record a push takes into its shard, outside any task (the original's task id of
    /// outbound work): the mapper echoes it, and its mapping results belong to no execution.
    /// </summary>
    public const string PushTaskId = "bidirectional";
}
