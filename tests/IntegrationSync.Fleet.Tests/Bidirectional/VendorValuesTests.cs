using System.Text.Json.Nodes;
using IntegrationSync.Fleet.Tests.Runner;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.Fleet.Tests.Bidirectional;

/// <summary>What a strategy takes from the vendor reaches the shard as inbound records do: a raw event the mapper applies.</summary>
[Collection(BidirectionalFleet.Collection)]
public sealed class VendorValuesTests(BidirectionalFleet fleet)
{
    [Fact]
    public async Task A_merge_pushes_Castiels_field_and_sends_the_record_as_written_with_the_vendors_field_to_the_mapper()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        var (integrationId, externalId, shardId) = await fleet.SyncedRecordAsync(salesforce, "merge");

        var edited = (JsonObject)(await fleet.ShardOfAsync(integrationId, externalId))["structuredData"]!.DeepClone();
        edited["name"] = "Renamed in Castiel";
        salesforce.Change(externalId, new JsonObject { ["Amount"] = 300 });
        await fleet.EditShardAsync(shardId, edited);
        var pulled = (await fleet.PulledRecordAsync(integrationId)).Data<DataRaw>();

        Assert.Equal((externalId, "Renamed in Castiel", 300), (pulled.ExternalId, (string)pulled.RawData!["Name"]!, (int)pulled.RawData["Amount"]!));
        Assert.Equal(("Renamed in Castiel", 300, 1), ((string)salesforce.Find(externalId)!["Name"]!, (int)salesforce.Find(externalId)!["Amount"]!, salesforce.Writes));
        await FleetRuns.EventuallyAsync(() => fleet.ShardOfAsync(integrationId, externalId).Result["structuredData"] is JsonObject s
            && (string?)s["name"] == "Renamed in Castiel" && (int?)s["amount"] == 300, "the mapper to write the merged record");
        var record = await fleet.RecordAsync(integrationId, externalId);
        Assert.Equal(("Renamed in Castiel", 300, "outbound"), ((string)record!.Base!["name"]!, (int)record.Base["amount"]!, record.LastDirection));
    }

    [Fact]
    public async Task A_shard_deleted_in_Castiel_while_the_vendor_changed_the_record_comes_back_as_a_new_shard_when_the_vendor_wins()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        var (integrationId, externalId, deletedShard) = await fleet.SyncedRecordAsync(salesforce, "source_wins");

        salesforce.Change(externalId, new JsonObject { ["Amount"] = 999 });
        await fleet.DeleteShardAsync(deletedShard);

        // shard-manager updates no deleted shard: the mapper makes the vendor record a shard again, and the record follows it.
        await FleetRuns.EventuallyAsync(() => fleet.RecordAsync(integrationId, externalId).Result?.ShardId is { } linked && linked != deletedShard,
            "the record linked to its new shard");
        var record = (await fleet.RecordAsync(integrationId, externalId))!;
        var shards = (await fleet.ShardsAsync()).Where(s => (string?)s["metadata"]?["externalId"] == externalId
            && (string?)s["metadata"]?["integrationId"] == integrationId).ToList();
        var restored = shards.Single(s => (string)s["id"]! == record.ShardId);
        Assert.Equal(999, (int?)restored["structuredData"]!["amount"]);
        Assert.Null(restored["deletedAt"]);
        Assert.Null(record.Deleted);
        Assert.Equal("deleted", (string?)shards.Single(s => (string)s["id"]! == deletedShard)["status"]);
        Assert.Equal(0, salesforce.Writes);
    }
}
