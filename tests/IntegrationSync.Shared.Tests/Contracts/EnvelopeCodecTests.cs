using System.Text;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Messaging;

namespace IntegrationSync.Shared.Tests.Contracts;

public class EnvelopeCodecTests
{
    private static readonly DateTimeOffset At = new(2026, 2, 14, 16, 20, 0, 123, TimeSpan.Zero);
    private static readonly EventSource Source = new("integration-sync", "integration-sync-1-1739550000000");

    // What @coder/shared's createEvent + JSON.stringify put on the wire (reference §2.1), byte for byte.
    private const string NodeCompleted =
        """{"id":"9f1c3a2e-5b7d-4e8f-a1b2-c3d4e5f60718","type":"integration.sync.completed","version":"1.0","timestamp":"2026-02-14T16:20:00.123Z","tenantId":"0b7e2c64-1d3a-4f5b-8c9d-0e1f2a3b4c5d","source":{"service":"integration-sync","instance":"integration-sync-1-1739550000000"},"data":{"taskId":"t-1","executionId":"e-1","recordsProcessed":3,"recordsCreated":1,"recordsUpdated":1,"recordsFailed":1}}""";

    private const string NodeRawWithMetadata =
        """{"id":"9f1c3a2e-5b7d-4e8f-a1b2-c3d4e5f60718","type":"integration.data.raw","version":"1.0","timestamp":"2026-02-14T16:20:00.123Z","tenantId":"0b7e2c64-1d3a-4f5b-8c9d-0e1f2a3b4c5d","source":{"service":"integration-sync","instance":"integration-sync-1-1739550000000"},"data":{"integrationId":"i-1","tenantId":"0b7e2c64-1d3a-4f5b-8c9d-0e1f2a3b4c5d","externalId":"ext+1","syncTaskId":"t-1","correlationId":"c-1","metadata":{"direction":"inbound"},"entityType":"opportunity","rawData":{"name":"Café <A&B>","amount":12.5},"idempotencyKey":"i-1-ext+1-t-1"},"metadata":{"correlationId":"c-1"}}""";

    [Fact]
    public void Serializes_the_completed_event_exactly_as_the_node_publisher()
    {
        var bytes = EnvelopeCodec.Serialize("9f1c3a2e-5b7d-4e8f-a1b2-c3d4e5f60718", EventNames.SyncCompleted, At,
            "0b7e2c64-1d3a-4f5b-8c9d-0e1f2a3b4c5d", Source, new SyncCompleted("t-1", "e-1", 3, 1, 1, 1), metadata: null);

        Assert.Equal(NodeCompleted, Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Serializes_raw_data_with_metadata_and_unescaped_text_like_json_stringify()
    {
        var raw = new DataRaw("i-1", "0b7e2c64-1d3a-4f5b-8c9d-0e1f2a3b4c5d", "ext+1", "t-1", "c-1", new RawRecordMetadata("inbound", null),
            "opportunity", System.Text.Json.Nodes.JsonNode.Parse("""{"name":"Café <A&B>","amount":12.5}"""), "i-1-ext+1-t-1");

        var bytes = EnvelopeCodec.Serialize("9f1c3a2e-5b7d-4e8f-a1b2-c3d4e5f60718", EventNames.DataRaw, At,
            "0b7e2c64-1d3a-4f5b-8c9d-0e1f2a3b4c5d", Source, raw, new EventMetadata(CorrelationId: "c-1"));

        Assert.Equal(NodeRawWithMetadata, Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void A_message_after_a_failed_and_a_larger_one_on_the_same_thread_carries_nothing_of_them()
    {
        var large = new SyncCompleted(new string('x', 100_000), "e-1", 3, 1, 1, 1);
        EnvelopeCodec.Serialize("large", EventNames.SyncCompleted, At, "tenant", Source, large, metadata: null);
        Assert.ThrowsAny<Exception>(() =>
            EnvelopeCodec.Serialize("broken", EventNames.DataRaw, At, "tenant", Source, new { value = double.NaN }, metadata: null));

        var bytes = EnvelopeCodec.Serialize("9f1c3a2e-5b7d-4e8f-a1b2-c3d4e5f60718", EventNames.SyncCompleted, At,
            "0b7e2c64-1d3a-4f5b-8c9d-0e1f2a3b4c5d", Source, new SyncCompleted("t-1", "e-1", 3, 1, 1, 1), metadata: null);

        Assert.Equal(NodeCompleted, Encoding.UTF8.GetString(bytes));
    }

    [Theory]
    [InlineData(NodeCompleted)]
    [InlineData(NodeRawWithMetadata)]
    public void Round_trips_a_node_envelope_byte_for_byte(string wire)
    {
        Assert.True(EnvelopeCodec.TryParse(Encoding.UTF8.GetBytes(wire), out var envelope, out var error), error);

        Assert.Equal(wire, Encoding.UTF8.GetString(EnvelopeCodec.Serialize(envelope)));
    }

    [Theory]
    [InlineData("not json", "invalid JSON")]
    [InlineData("null", "JSON null")]
    [InlineData("""{"type":"x.y.z","data":{}}""", "no id")]
    [InlineData("""{"id":"1","data":{}}""", "no type")]
    [InlineData("""{"id":"1","type":"x.y.z"}""", "no data")]
    public void Names_what_is_wrong_with_a_malformed_envelope(string body, string expected)
    {
        Assert.False(EnvelopeCodec.TryParse(Encoding.UTF8.GetBytes(body), out _, out var error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Accepts_an_envelope_whose_tenant_is_only_in_the_data()
    {
        var body = """{"id":"1","type":"integration.data.mapped","version":"1.0","timestamp":"2026-02-14T16:20:00.123Z","source":{"service":"p","instance":"p-1"},"data":{"tenantId":"t"}}""";

        Assert.True(EnvelopeCodec.TryParse(Encoding.UTF8.GetBytes(body), out var envelope, out _));
        Assert.Equal("", envelope.TenantId);
    }

    [Fact]
    public void Every_contract_record_names_its_routing_key()
    {
        var contracts = typeof(EventName).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("IntegrationSync.Shared.Contracts.", StringComparison.Ordinal) == true
                && t.GetProperty("EqualityContract", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance) is not null
                && t.GetCustomAttributes(typeof(EventNameAttribute), false).Length > 0)
            .Select(t => ((EventNameAttribute)t.GetCustomAttributes(typeof(EventNameAttribute), false)[0]).Name)
            .ToHashSet();
        var declared = typeof(EventNames).GetFields().Select(f => (string)f.GetValue(null)!).ToHashSet();

        Assert.Equal(declared.Order(), contracts.Order());
    }
}
