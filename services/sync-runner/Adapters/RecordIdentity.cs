using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

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

    public static string ContentHash(JsonObject record)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteCanonical(writer, record);
        }
        return "hash-" + Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()))[..32];
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    WriteCanonical(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteCanonical(writer, item);
                }
                writer.WriteEndArray();
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                // 1, 1.0 and 1e0 are one number.
                var raw = value.ToJsonString();
                writer.WriteRawValue(decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    ? number.ToString("G29", CultureInfo.InvariantCulture)
                    : raw);
                break;
            case null:
                writer.WriteNullValue();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
