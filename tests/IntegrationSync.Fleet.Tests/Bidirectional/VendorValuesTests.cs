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
}
