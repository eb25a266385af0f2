using System.Text.Json.Nodes;
using IntegrationSync.Fleet.Tests.Runner;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Contracts;
using IntegrationSync.Shared.Contracts.Events;
using IntegrationSync.SyncRunner.Slots;
using IntegrationSync.TestSupport.VendorFakes;
using Microsoft.Extensions.Options;

namespace IntegrationSync.Fleet.Tests.Bidirectional;

/// <summary>Pushes obey what inbound work obeys: the tenant's concurrency slots and the vendor's <c>Retry-After</c>.</summary>
[Collection(BidirectionalFleet.Collection)]
public sealed class PushLimitsTests(BidirectionalFleet fleet)
{
    [Fact]
    public async Task Pushes_wait_in_the_tenants_queue_while_its_slots_are_taken_and_go_when_one_frees()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        var (integrationId, externalId, shardId) = await fleet.SyncedRecordAsync(salesforce, "target_wins");
        var slots = new TenantSlots(fleet.Database.Containers, Options.Create(new SyncLimitsOptions()), TimeProvider.System);
        var holders = Enumerable.Range(0, new SyncLimitsOptions().MaxConcurrentSyncsPerTenant).Select(i => $"held-{Guid.NewGuid():N}").ToList();
        foreach (var holder in holders)
        {
            await slots.TryAcquireAsync(fleet.TenantId, holder, holder, TimeSpan.FromMinutes(2), force: true, CancellationToken.None);
        }
        try
        {
            await fleet.EditShardAsync(shardId, new JsonObject { ["name"] = "Waited for a slot", ["amount"] = 1 });
            await FleetRuns.EventuallyAsync(() => fleet.TenantSlotsAsync().Result.Waiting.Any(w => w.TaskId.StartsWith($"outbound:{integrationId}:", StringComparison.Ordinal)),
                "the pushes to queue for a slot");

            Assert.Equal(0, salesforce.Writes);
        }
        finally
        {
            foreach (var holder in holders)
            {
                await slots.ReleaseAsync(fleet.TenantId, holder, CancellationToken.None);
            }
        }
        // The lane takes the freed slot, or (had it given up waiting) the sweep sends the change again.
        await FleetRuns.EventuallyAsync(() => (string?)salesforce.Find(externalId)!["Name"] == "Waited for a slot", "the push once a slot is free");
        Assert.Equal(1, salesforce.Writes);
    }

    [Fact]
    public async Task A_push_the_vendor_rate_limits_keeps_its_change_and_goes_again_only_after_Retry_After()
    {
        await using var salesforce = await FakeSalesforce.StartAsync();
        var (integrationId, externalId, shardId) = await fleet.SyncedRecordAsync(salesforce, "target_wins");

        // More 429s than the adapter's own retries: the push fails as rate limited, with the vendor's Retry-After.
        salesforce.Faults.TooManyRequests(count: 8, retryAfterSeconds: 1);
        await fleet.EditShardAsync(shardId, new JsonObject { ["name"] = "After the storm", ["amount"] = 2 });

        await FleetRuns.EventuallyAsync(() => fleet.Wire.OfType(EventNames.DataSynced).Any(m => m.Data<DataSynced>().ShardId == shardId), "the push after the storm");
        Assert.Equal("After the storm", (string?)salesforce.Find(externalId)!["Name"]);
        Assert.Equal((8, 0), (salesforce.Faults.Rejected429, salesforce.Faults.EarlyRetries));
        Assert.Equal(1, salesforce.Writes);
        var record = await fleet.RecordAsync(integrationId, externalId);
        Assert.Equal(("outbound", null, null), (record!.LastDirection, record.Pending, record.LastError));
    }
}
