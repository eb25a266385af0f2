using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters.Http;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Peers;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.SyncRunner.Adapters;
using IntegrationSync.SyncRunner.Adapters.Sample;
using IntegrationSync.SyncRunner.Outbound;
using Microsoft.Extensions.Options;

namespace IntegrationSync.SyncRunner.Tests.Outbound;

public sealed class VendorPullTests
{
    private static readonly JsonObject SyncConfig = new()
    {
        ["entityMappings"] = new JsonArray(new JsonObject
        {
            ["externalEntity"] = "Opportunity", ["shardTypeId"] = "c_opportunity",
            ["fieldMappings"] = new JsonArray(
                new JsonObject { ["externalField"] = "Name", ["shardField"] = "name" },
                new JsonObject { ["externalField"] = "Amount", ["shardField"] = "amount" }),
        }),
    };

    [Fact]
    public void The_raw_event_carries_the_vendor_record_as_it_is_after_our_write_with_the_integrations_identity()
    {
        var c = Context(new SourceRecord("006A", new JsonObject { ["Id"] = "006A", ["Name"] = "Deal", ["Amount"] = 300, ["StageName"] = "Won" }, "v1"));

        var raw = VendorPull.Event(c, new JsonObject { ["Amount"] = 250 });

        Assert.Equal(("int-1", "tenant-1", "006A", DataRaw.PushTaskId, "Opportunity"), (raw.IntegrationId, raw.TenantId, raw.ExternalId, raw.SyncTaskId, raw.EntityType));
        Assert.Equal("""{"Id":"006A","Name":"Deal","Amount":250,"StageName":"Won"}""", raw.RawData!.ToJsonString());
        Assert.Equal(new RawRecordMetadata("bidirectional", null), raw.Metadata);
        Assert.True(Guid.TryParse(raw.CorrelationId, out _));
        Assert.Equal($"int-1-006A-{raw.CorrelationId}", raw.IdempotencyKey);
        // The read record itself is left as it was: a retry works from what the vendor said.
        Assert.Equal(300, (int)c.Remote!.Data["Amount"]!);
    }

    [Fact]
    public void Two_pulls_of_the_same_record_have_their_own_idempotency_keys_so_the_mappers_dedupe_never_swallows_the_second()
    {
        var c = Context(new SourceRecord("006A", new JsonObject { ["Name"] = "Deal" }, "v1"));

        Assert.NotEqual(VendorPull.Event(c, []).IdempotencyKey, VendorPull.Event(c, []).IdempotencyKey);
    }

    [Fact]
    public void A_record_the_push_never_read_cannot_be_pulled()
    {
        var e = Assert.Throws<InvalidOperationException>(() => VendorPull.Event(Context(remote: null), []));
        Assert.Contains("no vendor record was read", e.Message, StringComparison.Ordinal);
    }

    private static PushContext Context(SourceRecord? remote)
    {
        var integration = new IntegrationDescriptor("int-1", "sample", "Sample", "active", null, [], SyncConfig);
        var target = new OutboundTarget("tenant-1", integration, new SampleAdapter(Options.Create(new AdapterHttpOptions())),
            new AdapterConnection(integration, new AdapterCredentials([])), WriteBack.Of(integration, "source_wins"));
        var record = new SyncRecordDocument
        {
            Id = SyncRecordDocument.IdFor("tenant-1", "int-1", "opportunity", "006A"), TenantId = "tenant-1", IntegrationId = "int-1",
            EntityType = "opportunity", ExternalId = "006A", ShardId = "shard-1",
        };
        var mapping = EntityMapping.ForEntity(SyncConfig, "opportunity")!;
        var side = new Side(new JsonObject { ["name"] = "Deal" }, false, null);
        return new PushContext(target, record, null, mapping, ThreeWay.Compare(null, side, side, ["name", "amount"]), remote, remote?.Version);
    }
}
