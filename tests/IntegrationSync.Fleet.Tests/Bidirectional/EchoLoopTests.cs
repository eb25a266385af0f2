using System.Text.Json.Nodes;
using IntegrationSync.Fleet.Tests.Runner;
using IntegrationSync.Fleet.Tests.Runner.Vendors;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Commands;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Sync;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.Fleet.Tests.Bidirectional;

/// <summary>
/// The loop between a vendor and Castiel ends in one round trip: what the mapper writes from a pull is never pushed
/// back, and what a push writes to the vendor is never published again by the next pull.
/// </summary>
[Collection(BidirectionalFleet.Collection)]
public sealed class EchoLoopTests(BidirectionalFleet fleet)
{
    [Fact]
    public async Task A_pull_then_a_local_edit_then_a_pull_push_once_and_publish_our_own_write_never()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        var ids = salesforce.Seed(3);
        var integrationId = await fleet.AddSalesforceAsync(salesforce, "newest_wins");

        // 1. First pull: the mapper creates the shards (shard.created), the records get their sync state.
        await fleet.PullAsync(integrationId);
        var shards = new Dictionary<string, string>();
        foreach (var id in ids)
        {
            shards[id] = (string)(await fleet.ShardOfAsync(integrationId, id))["id"]!;
        }
        // 2. The vendor changes a record; the pull publishes it, the mapper updates its shard (shard.updated): an echo.
        salesforce.Change(ids[0], new JsonObject { ["Amount"] = 99 });
        await fleet.PullAsync(integrationId);
        await FleetRuns.EventuallyAsync(() => fleet.Wire.OfType("shard.updated").Any(m => m.Data<ShardUpdated>().ShardId == shards[ids[0]]), "the mapper's update");
        // 3. A Castiel user edits another shard: pushed to the vendor once.
        await fleet.EditShardAsync(shards[ids[1]], new JsonObject { ["name"] = "Deal 1 (renamed in Castiel)" });
        await FleetRuns.EventuallyAsync(() => fleet.Wire.OfType(EventNames.DataSynced).Any(m => m.Data<DataSynced>().ShardId == shards[ids[1]]), "the push");
        // 4. The next pull reads that record again (its modstamp moved): our own write, not published again.
        var last = await fleet.PullAsync(integrationId);

        Assert.Equal("Deal 1 (renamed in Castiel)", (string)salesforce.Find(ids[1])!["Name"]!);
        Assert.Equal(1, salesforce.Writes);
        Assert.All(salesforce.WriteOrigins, origin => Assert.Equal("client=integration-sync", origin));
        Assert.Equal((0, 1), (last.RecordsPublished, last.EchoesSkipped));
        Assert.Equal([shards[ids[1]]], fleet.Wire.OfType(EventNames.SyncOutbound).Select(m => m.Data<SyncOutbound>())
            .Where(c => c.IntegrationId == integrationId).Select(c => c.ShardId));
        Assert.Single(fleet.Wire.OfType(EventNames.DataSynced), m => m.Data<DataSynced>().IntegrationId == integrationId);
        // The push wrote no shard, so the only shard.updated of that shard is the user's edit.
        Assert.Single(fleet.Wire.OfType("shard.updated"), m => m.Data<ShardUpdated>().ShardId == shards[ids[1]]);
        var record = await fleet.Records.ReadAsync(fleet.TenantId, SyncRecordDocument.IdFor(fleet.TenantId, integrationId, "opportunity", ids[1]), CancellationToken.None);
        Assert.Equal(("outbound", (string?)salesforce.Find(ids[1])!["SystemModstamp"]), (record!.LastDirection, record.RemoteVersion));
        Assert.Null(record.Pending);
    }
}
