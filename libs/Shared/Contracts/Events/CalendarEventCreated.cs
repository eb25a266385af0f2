using System.Text.Json.Nodes;

namespace IntegrationSync.Shared.Contracts.Events;

/// <summary>A calendar event record for integration-processors' event processor (reference §2.5.3); <c>idempotencyKey</c> is ours.</summary>
[EventName(EventNames.CalendarEventCreated, Mandatory = true)]
public sealed record CalendarEventCreated(
    string IntegrationId,
    string TenantId,
    string ExternalId,
    string SyncTaskId,
    string CorrelationId,
    RawRecordMetadata Metadata,
    string EventId,
    JsonNode? Title,
    JsonNode? Description,
    JsonNode? StartTime,
    JsonNode? EndTime,
    JsonNode? Duration,
    JsonNode? Timezone,
    JsonNode? IsAllDay,
    JsonNode? Location,
    JsonNode? LocationType,
    JsonNode? MeetingUrl,
    JsonNode? Organizer,
    JsonNode Attendees,
    JsonNode? Recurrence,
    JsonNode? Status,
    string IntegrationSource,
    JsonNode? ExternalUrl,
    string IdempotencyKey);
