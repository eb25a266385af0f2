using System.Text.Json.Nodes;
using IntegrationSync.Fleet.Tests.Runner;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.Fleet.Tests.Bidirectional;

/// <summary>A shard deleted in Castiel (<c>shard.deleted</c>) reaches the vendor only where the integration allows deletes.</summary>
[Collection(BidirectionalFleet.Collection)]
public sealed class DeletionTests(BidirectionalFleet fleet)
{
    [Fact]
    public async Task A_shard_deleted_in_Castiel_is_deleted_at_the_vendor_when_the_integration_allows_deletes()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        var (integrationId, externalId, shardId) = await fleet.SyncedRecordAsync(salesforce, "target_wins", new JsonObject { ["allowDeletes"] = true });

        await fleet.DeleteShardAsync(shardId);

        await FleetRuns.EventuallyAsync(() => salesforce.Find(externalId) is null, "the vendor record's deletion");
        await FleetRuns.EventuallyAsync(() => fleet.Wire.OfType(EventNames.DataSynced).Any(m => m.Data<DataSynced>() is { Operation: "deleted" } d && d.ShardId == shardId),
            "integration.data.synced of the deletion");
        var record = await fleet.RecordAsync(integrationId, externalId);
        Assert.Equal((Tombstone.Castiel, null), (record!.Deleted?.Side, record.Pending));
    }

    [Fact]
    public async Task A_shard_deleted_in_Castiel_stays_at_the_vendor_when_the_integration_does_not_allow_deletes_and_the_record_says_why()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        var (integrationId, externalId, shardId) = await fleet.SyncedRecordAsync(salesforce, "target_wins");

        await fleet.DeleteShardAsync(shardId);

        await FleetRuns.EventuallyAsync(() => fleet.RecordAsync(integrationId, externalId).Result?.LastError?.Contains("allowDeletes", StringComparison.Ordinal) == true,
            "the refused deletion on the record");
        Assert.NotNull(salesforce.Find(externalId));
        Assert.Equal(0, salesforce.Writes);
        Assert.DoesNotContain(fleet.Wire.OfType(EventNames.DataSynced), m => m.Data<DataSynced>().ShardId == shardId);
    }
}
