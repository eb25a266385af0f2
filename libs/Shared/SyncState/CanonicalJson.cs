using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationSync.Shared.SyncState;

/// <summary>
/// One text per JSON value whatever its key order or number spelling (1, 1.0 and 1e0 are one number): the base of
/// content hashes (a record's id when it has none, a snapshot's hash) and of value equality in the sync state.
/// </summary>
public static class CanonicalJson
{
    public static byte[] Utf8(JsonNode? node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, node);
        }
        return buffer.ToArray();
    }

    /// <summary>32 hex digits of the SHA-256 of the canonical text.</summary>
    public static string Hash(JsonNode? node) => Convert.ToHexStringLower(SHA256.HashData(Utf8(node)))[..32];

    public static bool Equal(JsonNode? a, JsonNode? b) => Utf8(Normal(a)).AsSpan().SequenceEqual(Utf8(Normal(b)));

    /// <summary>Null and a missing value are one: a field the vendor cleared equals a field it never had.</summary>
    private static JsonNode? Normal(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.Null ? null : node;

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    Write(writer, item);
                }
                writer.WriteEndArray();
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
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
