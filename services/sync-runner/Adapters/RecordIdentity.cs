using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Shared.SyncState;

namespace IntegrationSync.SyncRunner.Adapters;

/// <summary>
/// The external id a record is published under: its own id field when it has one, otherwise a hash of its
/// content with keys in a canonical order, so one record gets the same id on every run (never a random one).
/// </summary>
public static class RecordIdentity
{
    /// <summary>The original's id fields for a fetched record, in its order (reference §2.5.1).</summary>
    public static readonly string[] CastielIdFields = ["id", "externalId", "documentId", "emailId", "messageId", "meetingId", "eventId"];

    public static string Of(JsonObject record, params string[] idFields)
    {
        foreach (var field in idFields)
        {
            if (Text(record[field]) is { } id)
            {
                return id;
            }
        }
        return ContentHash(record);
    }

    public static string? Text(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text.Length > 0 ? text : null,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => value.ToJsonString(),
        _ => null,
    };

    public static string ContentHash(JsonObject record) => "hash-" + CanonicalJson.Hash(record);
}
