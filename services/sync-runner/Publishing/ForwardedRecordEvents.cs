using System.Text.Json.Nodes;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.SyncRunner.Adapters;

namespace IntegrationSync.SyncRunner.Publishing;

/// <summary>
/// The events of records handed to the non-CRM processors (reference §2.5.3), with the original's source fallbacks.
/// A fallback takes the first field with a value: null and "" are none, as for JavaScript's <c>||</c>, but 0 and false
/// are values (the original lost a zero-byte file's size). A field with no value is left out, like every null the fleet writes.
/// </summary>
public static class ForwardedRecordEvents
{
    public static DocumentDetected Document(RunContext run, SourceRecord record)
    {
        var r = record.Data;
        return new DocumentDetected(run.IntegrationId, run.TenantId, record.ExternalId, run.TaskId, run.ExecutionId, run.RecordMetadata,
            DocumentId: OwnId(record, "documentId"),
            ExternalUrl: First(r, "url", "fileUrl", "documentUrl", "blobUrl"),
            Title: First(r, "title", "name", "filename"),
            MimeType: First(r, "mimeType", "contentType"),
            Size: First(r, "size", "fileSize"),
            IntegrationSource: Source(run, r),
            SourcePath: First(r, "path", "sourcePath"),
            ParentFolderId: First(r, "parentFolderId", "folderId"),
            ParentFolderName: First(r, "parentFolderName", "folderName"),
            CreatedBy: First(r, "createdBy"),
            ModifiedBy: First(r, "modifiedBy"),
            CreatedAt: First(r, "createdAt"),
            ModifiedAt: First(r, "modifiedAt"),
            IdempotencyKey: run.IdempotencyKey(record.ExternalId));
    }

    public static EmailReceived Email(RunContext run, SourceRecord record)
    {
        var r = record.Data;
        return new EmailReceived(run.IntegrationId, run.TenantId, record.ExternalId, run.TaskId, run.ExecutionId, run.RecordMetadata,
            EmailId: OwnId(record, "emailId"),
            ThreadId: First(r, "threadId"),
            From: First(r, "from"),
            To: First(r, "to", "recipients"),
            Subject: First(r, "subject"),
            Body: First(r, "body", "htmlBody", "textBody"),
            Attachments: First(r, "attachments") ?? new JsonArray(),
            ReceivedAt: First(r, "receivedAt", "createdAt"),
            BodyPlainText: First(r, "bodyPlainText", "textBody"),
            BodyHtml: First(r, "bodyHtml", "htmlBody"),
            SentAt: First(r, "sentAt", "sentDateTime", "date"),
            IntegrationSource: Source(run, r),
            IdempotencyKey: run.IdempotencyKey(record.ExternalId));
    }

    public static MessageReceived Message(RunContext run, SourceRecord record)
    {
        var r = record.Data;
        return new MessageReceived(run.IntegrationId, run.TenantId, record.ExternalId, run.TaskId, run.ExecutionId, run.RecordMetadata,
            MessageId: OwnId(record, "messageId"),
            ChannelId: First(r, "channelId"),
            From: First(r, "from", "sender"),
            Text: First(r, "text", "content", "message"),
            Mentions: First(r, "mentions") ?? new JsonArray(),
            Reactions: First(r, "reactions") ?? new JsonArray(),
            ReceivedAt: First(r, "receivedAt", "createdAt"),
            SentAt: First(r, "sentAt", "createdAt"),
            IntegrationSource: Source(run, r),
            IdempotencyKey: run.IdempotencyKey(record.ExternalId),
            IsDeleted: r["isDeleted"] is JsonValue deleted && deleted.TryGetValue<bool>(out var isDeleted) && isDeleted ? true : null,
            DeletedAt: r["deletedAt"] is JsonValue at && at.TryGetValue<string>(out var when) ? when : null);
    }

    public static MeetingCompleted Meeting(RunContext run, SourceRecord record)
    {
        var r = record.Data;
        return new MeetingCompleted(run.IntegrationId, run.TenantId, record.ExternalId, run.TaskId, run.ExecutionId, run.RecordMetadata,
            MeetingId: OwnId(record, "meetingId"),
            Title: First(r, "title", "name"),
            Description: First(r, "description"),
            StartTime: First(r, "startTime", "start"),
            EndTime: First(r, "endTime", "end"),
            Duration: First(r, "duration"),
            Timezone: First(r, "timezone"),
            IntegrationSource: Source(run, r),
            ExternalUrl: First(r, "url", "meetingUrl"),
            RecordingUrl: First(r, "recordingUrl"),
            TranscriptUrl: First(r, "transcriptUrl"),
            Organizer: First(r, "organizer"),
            Participants: First(r, "participants") ?? new JsonArray(),
            IdempotencyKey: run.IdempotencyKey(record.ExternalId));
    }

    public static CalendarEventCreated CalendarEvent(RunContext run, SourceRecord record)
    {
        var r = record.Data;
        return new CalendarEventCreated(run.IntegrationId, run.TenantId, record.ExternalId, run.TaskId, run.ExecutionId, run.RecordMetadata,
            EventId: OwnId(record, "eventId"),
            Title: First(r, "title", "summary"),
            Description: First(r, "description"),
            StartTime: First(r, "startTime", "start"),
            EndTime: First(r, "endTime", "end"),
            Duration: First(r, "duration"),
            Timezone: First(r, "timezone"),
            IsAllDay: First(r, "isAllDay"),
            Location: First(r, "location"),
            LocationType: First(r, "locationType"),
            MeetingUrl: First(r, "meetingUrl"),
            Organizer: First(r, "organizer"),
            Attendees: First(r, "attendees") ?? new JsonArray(),
            Recurrence: First(r, "recurrence"),
            Status: First(r, "status"),
            IntegrationSource: Source(run, r),
            ExternalUrl: First(r, "url", "eventUrl"),
            IdempotencyKey: run.IdempotencyKey(record.ExternalId));
    }

    /// <summary>The record's <c>id</c>, else its own kind of id, else the external id it is published under.</summary>
    private static string OwnId(SourceRecord record, string kindIdField) =>
        RecordIdentity.Text(First(record.Data, "id", kindIdField)) ?? record.ExternalId;

    private static string Source(RunContext run, JsonObject record) =>
        RecordIdentity.Text(First(record, "integrationSource")) ?? run.IntegrationSource;

    private static JsonNode? First(JsonObject record, params ReadOnlySpan<string> fields)
    {
        foreach (var field in fields)
        {
            var value = record[field];
            if (value is not null && !(value is JsonValue text && text.TryGetValue<string>(out var s) && s.Length == 0))
            {
                return value;
            }
        }
        return null;
    }
}
