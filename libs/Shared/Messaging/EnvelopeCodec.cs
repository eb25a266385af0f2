using System.Buffers;
using System.Text.Json;
using IntegrationSync.Shared.Contracts;

namespace IntegrationSync.Shared.Messaging;

/// <summary>Writes and reads the envelope byte-for-byte in the original's field order.</summary>
public static class EnvelopeCodec
{
    private const int RetainedBufferBytes = 1024 * 1024;

    // One buffer and writer per thread: a batch envelope is tens of kilobytes, and growing a fresh buffer to that size
    // for every message allocated several times the message itself.
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    public static byte[] Serialize<T>(
        string id, string type, DateTimeOffset timestamp, string tenantId, EventSource source, T data, EventMetadata? metadata)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        var writer = t_writer ??= new Utf8JsonWriter(buffer, ContractJson.WriterOptions);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        writer.WriteStartObject();
        writer.WriteString("id", id);
        writer.WriteString("type", type);
        writer.WriteString("version", EventEnvelope.CurrentVersion);
        writer.WriteString("timestamp", IsoTime.Format(timestamp));
        writer.WriteString("tenantId", tenantId);
        writer.WritePropertyName("source");
        JsonSerializer.Serialize(writer, source, ContractJson.Options);
        writer.WritePropertyName("data");
        JsonSerializer.Serialize(writer, data, ContractJson.Options);
        if (metadata is not null)
        {
            writer.WritePropertyName("metadata");
            JsonSerializer.Serialize(writer, metadata, ContractJson.Options);
        }
        writer.WriteEndObject();
        writer.Flush();
        var body = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > RetainedBufferBytes)
        {
            // An outsized message does not pin its buffer to the thread for good.
            t_buffer = null;
            t_writer = null;
        }
        return body;
    }

    public static byte[] Serialize(EventEnvelope envelope) =>
        Serialize(envelope.Id, envelope.Type, IsoTime.Parse(envelope.Timestamp) ?? DateTimeOffset.UnixEpoch,
            envelope.TenantId, envelope.Source, envelope.Data, envelope.Metadata);

    /// <summary>Parses an envelope; <paramref name="error"/> says why one is malformed (never thrown).</summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out EventEnvelope envelope, out string error)
    {
        envelope = null!;
        try
        {
            var parsed = JsonSerializer.Deserialize<EventEnvelope>(body, ContractJson.Options);
            error = parsed switch
            {
                null => "body is JSON null",
                { Id: null or "" } => "envelope has no id",
                { Type: null or "" } => "envelope has no type",
                { Data.ValueKind: JsonValueKind.Undefined } => "envelope has no data",
                _ => "",
            };
            if (error.Length > 0)
            {
                return false;
            }
            envelope = parsed! with { TenantId = parsed!.TenantId ?? "", Source = parsed.Source ?? new EventSource("unknown", "unknown") };
            return true;
        }
        catch (JsonException e)
        {
            error = $"invalid JSON envelope: {e.Message}";
            return false;
        }
    }
}
