using System.Text.Json.Nodes;

namespace IntegrationSync.Shared.Contracts.Events;

/// <summary>A meeting record for integration-processors' meeting processor (reference §2.5.3); <c>idempotencyKey</c> is ours.</summary>
[EventName(EventNames.MeetingCompleted, Mandatory = true)]
public sealed record MeetingCompleted(
    string IntegrationId,
    string TenantId,
    string ExternalId,
    string SyncTaskId,
    string CorrelationId,
    RawRecordMetadata Metadata,
    string MeetingId,
    JsonNode? Title,
    JsonNode? Description,
    JsonNode? StartTime,
    JsonNode? EndTime,
    JsonNode? Duration,
    JsonNode? Timezone,
    string IntegrationSource,
    JsonNode? ExternalUrl,
    JsonNode? RecordingUrl,
    JsonNode? TranscriptUrl,
    JsonNode? Organizer,
    JsonNode Participants,
    string IdempotencyKey);
