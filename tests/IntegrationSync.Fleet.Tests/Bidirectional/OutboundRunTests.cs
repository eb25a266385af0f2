using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationSync.Fleet.Tests.Runner;
using IntegrationSync.Fleet.Tests.Runner.Vendors;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.Shared.Sync;
using IntegrationSync.Shared.SyncState;
using IntegrationSync.TestSupport.VendorFakes;

namespace IntegrationSync.Fleet.Tests.Bidirectional;

/// <summary>Pushes as executions (outbound and bidirectional triggers), and records created in Castiel reaching the vendor once.</summary>
[Collection(BidirectionalFleet.Collection)]
public sealed class OutboundRunTests(BidirectionalFleet fleet)
{
    [Fact]
    public async Task An_outbound_trigger_pushes_the_pending_changes_and_counts_them_and_a_bidirectional_one_pulls_then_pushes()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        var ids = salesforce.Seed(3);
        var integrationId = await fleet.AddSalesforceAsync(salesforce, "target_wins");
        await fleet.PullAsync(integrationId);
        // Changes recorded as pending without asking a runner (as when none was reachable): only an execution pushes them.
        await PendAsync(integrationId, ids[0], new JsonObject { ["name"] = "Pushed by the run", ["amount"] = 1 });
        await PendAsync(integrationId, ids[1], new JsonObject { ["name"] = "Deal 1" });

        var outbound = await fleet.TriggerAsync(integrationId, "outbound");
        await fleet.WaitForTaskAsync(outbound, SyncStatus.Completed, FleetRuns.Wait);
        var pushed = await fleet.ExecutionAsync(outbound);

        // The second change brought the shard back to what was synced: an echo, no write.
        Assert.Equal((1, 0, 1, 0, 1), (pushed.RecordsPushed, pushed.RecordsPublished, salesforce.Writes, pushed.Conflicts, pushed.EchoesSkipped));
        Assert.Equal("Pushed by the run", (string)salesforce.Find(ids[0])!["Name"]!);

        // Both sides change one record: the bidirectional run's pull holds it (an unpushed Castiel change), its push decides (target_wins).
        salesforce.Change(ids[2], new JsonObject { ["Amount"] = 7 });
        await PendAsync(integrationId, ids[2], new JsonObject { ["name"] = "Deal 2 from Castiel", ["amount"] = 0 });
        var both = await fleet.TriggerAsync(integrationId, "bidirectional");
        await fleet.WaitForTaskAsync(both, SyncStatus.Completed, FleetRuns.Wait);
        var run = await fleet.ExecutionAsync(both);

        Assert.Equal((1, 0), (run.RecordsPushed, run.RecordsPublished));
        Assert.True(run.Conflicts >= 1);
        Assert.Equal(("Deal 2 from Castiel", 0), ((string)salesforce.Find(ids[2])!["Name"]!, (int)salesforce.Find(ids[2])!["Amount"]!));
    }

    [Fact]
    public async Task A_shard_created_in_Castiel_is_created_at_the_vendor_once_by_an_upsert_and_linked()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        var integrationId = await fleet.AddSalesforceAsync(salesforce, "newest_wins", new JsonObject { ["externalIdField"] = "Castiel_Id__c" });
        var shardId = await fleet.CreateShardAsync(integrationId, new JsonObject { ["name"] = "Born in Castiel", ["amount"] = 42 });

        await fleet.EditShardAsync(shardId, new JsonObject { ["name"] = "Born in Castiel", ["amount"] = 43 });
        await FleetRuns.EventuallyAsync(() => fleet.Wire.OfType(EventNames.DataSynced).Any(m => m.Data<DataSynced>() is { Operation: "created" } d && d.ShardId == shardId),
            "the create");
        // The link written to the shard comes back as shard.updated: an echo, not a second create.
        await FleetRuns.EventuallyAsync(() => fleet.Wire.OfType("shard.updated").Count(m => m.Data<ShardUpdated>().ShardId == shardId) == 2, "the link's update");
        var created = Assert.Single(salesforce.Opportunities);
        var externalId = (string)created["Id"]!;
        Assert.Equal((shardId, "Born in Castiel", 43), ((string)created["Castiel_Id__c"]!, (string)created["Name"]!, (int)created["Amount"]!));
        Assert.Equal(externalId, (string)(await fleet.Peers.GetFromJsonAsync<JsonObject>($"/_peers/shards/{shardId}"))!["metadata"]!["externalId"]!);

        await fleet.EditShardAsync(shardId, new JsonObject { ["name"] = "Born in Castiel", ["amount"] = 44 });
        await FleetRuns.EventuallyAsync(() => (int)salesforce.Find(externalId)!["Amount"]! == 44, "the update of the created record");
        Assert.Single(salesforce.Opportunities);
    }

    [Fact]
    public async Task A_change_whose_push_request_was_lost_is_sent_again_by_the_sweep()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        var id = salesforce.Seed(1)[0];
        var integrationId = await fleet.AddSalesforceAsync(salesforce, "target_wins");
        await fleet.PullAsync(integrationId);

        // Recorded long enough ago, and no runner was ever asked (its command lost with a crashed runner).
        await PendAsync(integrationId, id, new JsonObject { ["name"] = "Swept" }, changedAt: DateTimeOffset.UtcNow.AddMinutes(-1));

        await FleetRuns.EventuallyAsync(() => (string?)salesforce.Find(id)!["Name"] == "Swept", "the sweep's push");
        Assert.Equal(1, salesforce.Writes);
    }

    private async Task PendAsync(string integrationId, string externalId, JsonObject values, DateTimeOffset? changedAt = null)
    {
        var shard = await fleet.ShardOfAsync(integrationId, externalId);
        var structured = (JsonObject)shard["structuredData"]!.DeepClone();
        foreach (var (key, value) in values)
        {
            structured[key] = value?.DeepClone();
        }
        (await fleet.Peers.PutAsJsonAsync($"/_peers/shards/{shard["id"]}", SetAll(shard, "structuredData", structured))).EnsureSuccessStatusCode();
        var now = IsoTime.Format(changedAt ?? DateTimeOffset.UtcNow.AddSeconds(-1));
        await fleet.Records.UpdateAsync(fleet.TenantId, SyncRecordDocument.IdFor(fleet.TenantId, integrationId, "opportunity", externalId),
            r => r with { ShardId = (string)shard["id"]!, Pending = new PendingChange(now, now, 1, Guid.NewGuid().ToString()) }, CancellationToken.None);
    }

    private static JsonObject SetAll(JsonObject shard, string field, JsonObject value)
    {
        var copy = shard.DeepClone().AsObject();
        copy[field] = value;
        copy["updatedAt"] = IsoTime.Format(DateTimeOffset.UtcNow);
        return copy;
    }
}
