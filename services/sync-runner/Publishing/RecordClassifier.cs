using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationSync.SyncRunner.Publishing;

/// <summary>
/// Reference §5.4: the task's entity type (lower-cased) decides; any other entity type is classified by the record's shape.
/// A field counts when JavaScript would find it truthy, as the original tested <c>rawData?.field</c>.
/// </summary>
public sealed class RecordClassifier
{
    private readonly RecordClass? _ofEntityType;
    private readonly bool _mail;

    /// <summary>Decides from the entity type once per run; only mail and unknown entity types look at each record.</summary>
    public RecordClassifier(string entityType)
    {
        var normalized = entityType.ToLowerInvariant();
        _mail = normalized is "email" or "message";
        _ofEntityType = normalized switch
        {
            "opportunity" or "account" or "contact" or "lead" => RecordClass.Crm,
            "document" or "file" or "attachment" => RecordClass.Document,
            "meeting" or "call" or "recording" => RecordClass.Meeting,
            "event" or "calendar" or "appointment" => RecordClass.CalendarEvent,
            _ => null,
        };
    }

    public static RecordClass Classify(string entityType, JsonObject record) => new RecordClassifier(entityType).Classify(record);

    /// <summary>The class every record of the run has, when the entity type decides it; null when each record's shape does.</summary>
    public RecordClass? OfEntityType => _mail ? null : _ofEntityType;

    public RecordClass Classify(JsonObject record) => _ofEntityType
        ?? (_mail ? (Has(record, "threadId", "subject", "from", "to") ? RecordClass.Email : RecordClass.Message) : ByShape(record));

    private static RecordClass ByShape(JsonObject record)
    {
        if (Has(record, "mimeType", "fileUrl", "documentUrl", "blobUrl"))
        {
            return RecordClass.Document;
        }
        // Checked before the calendar shape, so an event with a recording or transcript is a meeting, as in the original.
        if (Has(record, "recordingUrl", "transcriptUrl", "meetingId"))
        {
            return RecordClass.Meeting;
        }
        if (Has(record, "startTime", "endTime", "attendees"))
        {
            return RecordClass.CalendarEvent;
        }
        if (Has(record, "channelId", "messageId", "threadId"))
        {
            return Has(record, "subject", "from", "to") ? RecordClass.Email : RecordClass.Message;
        }
        return RecordClass.Crm;
    }

    private static bool Has(JsonObject record, params ReadOnlySpan<string> fields)
    {
        foreach (var field in fields)
        {
            if (IsTruthy(record[field]))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsTruthy(JsonNode? node) => node switch
    {
        null => false,
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => !value.TryGetValue<string>(out var text) || text.Length > 0,
            JsonValueKind.Number => double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture) != 0,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => true,
        },
        _ => true,
    };
}
